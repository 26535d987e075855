import { expect, test } from '@jest/globals';
import { applyPatch, parsePatchBody } from '../../../shared/scim/patch.ts';
import { GROUP_KIND, USER_KIND } from '../../../shared/scim/schema.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const base = { userName: 'a@b.example', name: { givenName: 'A' }, emails: [{ value: 'a@b.example', type: 'work', primary: true }] };
const patch = (resource: Record<string, unknown>, Operations: unknown[]) =>
  applyPatch(USER_KIND, resource, parsePatchBody({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations }));

test('op names in any case; path-less values whose keys are paths; id ignored', () => {
  const out = patch(base, [
    { op: 'REPLACE', value: { id: 'x', displayName: 'D', 'name.familyName': 'F', [`${ENT}:employeeNumber`]: '9', active: 'False' } },
    { op: 'Add', path: 'title', value: 'T' },
  ]);
  expect(out).toMatchObject({ displayName: 'D', name: { givenName: 'A', familyName: 'F' }, [ENT]: { employeeNumber: '9' }, active: false, title: 'T' });
  expect(out.id).toBeUndefined();
});

test('filtered paths update matching elements or create the element an eq filter names', () => {
  const updated = patch(base, [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@b.example' }]);
  expect(updated.emails).toEqual([{ value: 'new@b.example', type: 'work', primary: true }]);
  const created = patch(base, [{ op: 'add', path: 'emails[type eq "home"].value', value: 'h@b.example' }]);
  expect(created.emails).toEqual([...base.emails, { type: 'home', value: 'h@b.example' }]);
  const removed = patch(created, [{ op: 'remove', path: 'emails[type eq "home"]' }]);
  expect(removed.emails).toEqual(base.emails);
});

test('manager in both Entra forms, and removal', () => {
  expect(patch(base, [{ op: 'Add', path: 'manager', value: [{ $ref: null, value: 'm1' }] }])[ENT]).toEqual({ manager: { value: 'm1' } });
  const bare = patch(base, [{ op: 'add', path: `${ENT}:manager`, value: 'm2' }]);
  expect(bare[ENT]).toEqual({ manager: { value: 'm2' } });
  expect(patch(bare, [{ op: 'remove', path: `${ENT}:manager` }])[ENT]).toBeUndefined();
});

test('multi-valued add appends without duplicates; replace swaps; remove with a value list removes those', () => {
  const group = { displayName: 'G', members: [{ value: '1' }, { value: '2' }] };
  const g = (ops: unknown[]) => applyPatch(GROUP_KIND, group, parsePatchBody({ Operations: ops }));
  expect(g([{ op: 'add', path: 'members', value: [{ value: '2' }, { value: '3' }] }]).members).toEqual([{ value: '1' }, { value: '2' }, { value: '3' }]);
  expect(g([{ op: 'replace', path: 'members', value: [{ value: '9' }] }]).members).toEqual([{ value: '9' }]);
  expect(g([{ op: 'Remove', path: 'members', value: [{ value: '1' }] }]).members).toEqual([{ value: '2' }]);
  expect(g([{ op: 'remove', path: 'members[value eq "2"]' }]).members).toEqual([{ value: '1' }]);
  expect(g([{ op: 'remove', path: 'members' }]).members).toBeUndefined();
});

test('errors carry the RFC scimType', () => {
  const cases: [unknown, string][] = [
    [{ Operations: [] }, 'invalidValue'],
    [{ Operations: {} }, 'invalidSyntax'],
    [{}, 'invalidSyntax'],
    [{ schemas: ['urn:wrong'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    [{ Operations: [{ op: 'move', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    [{ Operations: [{ op: 'add', path: 'title' }] }, 'invalidValue'],
  ];
  for (const [body, scimType] of cases) expect(() => parsePatchBody(body)).toThrow(expect.objectContaining({ scimType }));
  const apply = (ops: unknown[]) => () => patch(base, ops);
  expect(apply([{ op: 'replace', path: 'id', value: 'x' }])).toThrow(expect.objectContaining({ scimType: 'mutability' }));
  expect(apply([{ op: 'replace', path: 'meta.version', value: 'x' }])).toThrow(expect.objectContaining({ scimType: 'mutability' }));
  expect(apply([{ op: 'replace', path: 'groups', value: [] }])).toThrow(expect.objectContaining({ scimType: 'mutability' }));
  expect(apply([{ op: 'replace', path: 'bogus', value: 'x' }])).toThrow(expect.objectContaining({ scimType: 'invalidPath' }));
  expect(apply([{ op: 'replace', path: 'emails[type eq', value: 'x' }])).toThrow(expect.objectContaining({ scimType: 'invalidPath' }));
  expect(apply([{ op: 'remove' }])).toThrow(expect.objectContaining({ scimType: 'noTarget' }));
  expect(apply([{ op: 'replace', path: 'emails[type co "w" or type eq "x"].value', value: 'x' }])).not.toThrow();
  expect(apply([{ op: 'replace', path: 'emails[type sw "zz"].value', value: 'x' }])).toThrow(expect.objectContaining({ scimType: 'noTarget' }));
  expect(apply([{ op: 'replace', path: 'active', value: 'perhaps' }])).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
});
