import { expect, test } from '@jest/globals';
import * as keys from '../../../shared/db/keys.ts';

test('every tenant-owned key starts with its account', () => {
  const a = 'acc-1';
  const built = [
    keys.accountKey(a),
    keys.userKey(a, 'u'),
    keys.userEmailKey(a, 'X@Y.example'),
    keys.apiKeyKey(a, 'k'),
    keys.serviceUserKey(a, 'svc-1'),
    keys.auditKey(a, '2026-01-01T00:00:00.000Z', 'e'),
  ];
  for (const key of built) expect(key.pk).toBe(`ACCOUNT#${a}`);
  expect(keys.userEmailIndexKey(a, 'x@y.example').gsi1pk.startsWith(`ACCOUNT#${a}#`)).toBe(true);
});

test('email keys are case-insensitive', () => {
  expect(keys.userEmailKey('a', ' Jane@Example.COM ')).toEqual(keys.userEmailKey('a', 'jane@example.com'));
  expect(keys.userEmailIndexKey('a', 'Jane@Example.COM')).toEqual(keys.userEmailIndexKey('a', 'jane@example.com'));
});
