import { expect, test } from '@jest/globals';
import * as keys from '../../../shared/db/keys.ts';

test('SCIM keys are tenant-owned and case-insensitive where SCIM says so', () => {
  const a = 'acc-1';
  for (const key of [keys.groupKey(a, 'g'), keys.groupNameKey(a, 'Eng'), keys.groupMemberKey(a, 'g', 'u')]) {
    expect(key.pk).toBe(`ACCOUNT#${a}`);
  }
  for (const index of [keys.userExternalIdIndexKey(a, 'x'), keys.groupExternalIdIndexKey(a, 'x'), keys.userGroupsIndexKey(a, 'u', 'g')]) {
    expect(index.gsi2pk.startsWith(`ACCOUNT#${a}#`)).toBe(true);
  }
  expect(keys.groupNameKey(a, ' Engineering ')).toEqual(keys.groupNameKey(a, 'ENGINEERING'));
  expect(keys.userExternalIdIndexKey(a, 'AbC')).not.toEqual(keys.userExternalIdIndexKey(a, 'abc'));
  // Group items and name claims never share a prefix, so listing groups (begins_with GROUP#) reads no claims.
  expect(keys.groupNameKey(a, 'x').sk.startsWith(keys.GROUP_SK_PREFIX)).toBe(false);
  expect(keys.groupMemberKey(a, 'g', 'u').sk.startsWith(keys.groupMembersPrefix('g'))).toBe(true);
});
