// /Groups over real HTTP: create, unique names, Okta and Entra membership dialects, concurrency, PUT, delete.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { listAuditEvents } from '../../../shared/db/audit.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { createScimAccount, type ScimAccount } from './scim-account.ts';

// Multi-step sequences over real HTTP on a machine shared with other test runs.
jest.setTimeout(60_000);

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const IDENTITY_GROUP = 'urn:ietf:params:scim:schemas:extension:identity:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let stack: TestStack;
let account: ScimAccount;
const userIds: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  account = await createScimAccount(stack, 'Groups Co', 'groups.example');
  for (let i = 0; i < 8; i++) {
    const res = await account.scim('POST', '/Users', { body: { userName: `u${i}@groups.example` } });
    userIds.push(res.json.id);
  }
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

const members = async (id: string) => {
  const res = await account.scim('GET', `/Groups/${id}`);
  return ((res.json.members ?? []) as { value: string }[]).map((m) => m.value).sort();
};

test('create with members and a role; displayName unique case-insensitively; lookups by displayName', async () => {
  const res = await account.scim('POST', '/Groups', {
    body: { schemas: [GROUP], displayName: 'Engineering', members: [{ value: userIds[0], display: 'u0' }], [IDENTITY_GROUP]: { role: 'admin' } },
  });
  expect(res.status).toBe(201);
  expect(res.json).toMatchObject({
    displayName: 'Engineering',
    members: [{ value: userIds[0], type: 'User', $ref: expect.stringContaining(`/Users/${userIds[0]}`) }],
    [IDENTITY_GROUP]: { role: 'admin' },
    meta: { resourceType: 'Group', version: 'W/"1"' },
  });
  const dup = await account.scim('POST', '/Groups', { body: { displayName: 'ENGINEERING' } });
  expect(dup.status).toBe(409);
  expect(dup.json.scimType).toBe('uniqueness');
  const found = await account.scim('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "engineering"')}`);
  expect(found.json.totalResults).toBe(1);
  expect(found.json.Resources[0].members).toBeUndefined();
  const okta = await account.scim('GET', '/Groups?startIndex=1&count=100');
  expect(okta.status).toBe(200);
  expect(okta.json.Resources[0].members).toHaveLength(1);
});

test('Okta: path-less rename with id ignored, remove by value filter, add by list → 204', async () => {
  const created = await account.scim('POST', '/Groups', { body: { displayName: 'Okta Pushed', members: [] } });
  const id = created.json.id;
  const add = await account.scim('PATCH', `/Groups/${id}`, {
    body: {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', value: { id, displayName: 'Okta Pushed 2' } },
        { op: 'add', path: 'members', value: [{ value: userIds[1], display: 'u1@groups.example' }, { value: userIds[2] }] },
      ],
    },
  });
  expect(add.status).toBe(204);
  expect(await members(id)).toEqual([userIds[1], userIds[2]].sort());
  const swap = await account.scim('PATCH', `/Groups/${id}`, {
    body: {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', value: { id, displayName: 'Okta Pushed 2' } },
        { op: 'remove', path: `members[value eq "${userIds[1]}"]` },
        { op: 'add', path: 'members', value: [{ value: userIds[3] }] },
      ],
    },
  });
  expect(swap.status).toBe(204);
  expect(await members(id)).toEqual([userIds[2], userIds[3]].sort());
  const replaceAll = await account.scim('PATCH', `/Groups/${id}`, {
    body: { Operations: [{ op: 'replace', path: 'members', value: [{ value: userIds[4] }] }] },
  });
  expect(replaceAll.status).toBe(204);
  expect(await members(id)).toEqual([userIds[4]]);
  const one = await account.scim('GET', `/Groups/${id}`);
  expect(one.json.displayName).toBe('Okta Pushed 2');
  const put = await account.scim('PUT', `/Groups/${id}`, {
    body: { ...one.json, members: [{ value: userIds[5] }, { value: userIds[6] }] },
    headers: { 'If-Match': one.json.meta.version },
  });
  expect(put.status).toBe(200);
  expect(await members(id)).toEqual([userIds[5], userIds[6]].sort());
  const audit = await listAuditEvents(stack.db, account.id, { type: 'scim.group', limit: 50 });
  expect(audit.items.filter((e) => (e.target as { id: string }).id === id)).toHaveLength(5);
});

test('Entra: capitalised ops, several adds, remove with a value list, rename → 204', async () => {
  const created = await account.scim('POST', '/Groups', { body: { externalId: 'entra-g1', displayName: 'Entra Group' } });
  const id = created.json.id;
  const add = await account.scim('PATCH', `/Groups/${id}`, {
    body: { Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: userIds[0] }, { $ref: null, value: userIds[1] }] }] },
  });
  expect(add.status).toBe(204);
  const remove = await account.scim('PATCH', `/Groups/${id}`, {
    body: { Operations: [{ op: 'Remove', path: 'members', value: [{ value: userIds[0] }] }] },
  });
  expect(remove.status).toBe(204);
  expect(await members(id)).toEqual([userIds[1]]);
  const rename = await account.scim('PATCH', `/Groups/${id}`, { body: { Operations: [{ op: 'Replace', path: 'displayName', value: 'Entra Renamed' }] } });
  expect(rename.status).toBe(204);
  const byExternal = await account.scim('GET', `/Groups?filter=${encodeURIComponent('externalId eq "entra-g1"')}`);
  expect(byExternal.json.Resources[0].displayName).toBe('Entra Renamed');
  const oldName = await account.scim('POST', '/Groups', { body: { displayName: 'Entra Group' } });
  expect(oldName.status).toBe(201);
});

test('concurrent membership PATCHes lose nothing', async () => {
  const created = await account.scim('POST', '/Groups', { body: { displayName: 'Busy' } });
  const id = created.json.id;
  const results = await Promise.all(
    userIds.map((userId) => account.scim('PATCH', `/Groups/${id}`, { body: { Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] } })),
  );
  expect(results.map((r) => r.status)).toEqual(userIds.map(() => 204));
  expect(await members(id)).toEqual([...userIds].sort());
});

test('members must be users of this account; deleting a user removes its memberships; deleting a group → 204', async () => {
  const bad = await account.scim('POST', '/Groups', { body: { displayName: 'Ghosts', members: [{ value: 'not-a-user' }] } });
  expect(bad.status).toBe(400);
  expect(bad.json.scimType).toBe('invalidValue');
  const created = await account.scim('POST', '/Groups', { body: { displayName: 'Leavers', members: [{ value: userIds[7] }] } });
  expect((await account.scim('DELETE', `/Users/${userIds[7]}`)).status).toBe(204);
  expect(await members(created.json.id)).toEqual([]);
  expect((await account.scim('DELETE', `/Groups/${created.json.id}`)).status).toBe(204);
  expect((await account.scim('GET', `/Groups/${created.json.id}`)).status).toBe(404);
  const empty = await account.scim('PATCH', `/Groups/${created.json.id}`, { body: { Operations: [] } });
  expect(empty.status).toBe(400);
});

test('more membership changes than one transaction holds are 400 tooMany, not 500', async () => {
  const many = Array.from({ length: 46 }, (_, i) => ({ value: `user-${i}` }));
  const create = await account.scim('POST', '/Groups', { body: { displayName: 'Crowd', members: many } });
  expect(create.status).toBe(400);
  expect(create.json.scimType).toBe('tooMany');
  const created = await account.scim('POST', '/Groups', { body: { displayName: 'Crowd' } });
  const patch = await account.scim('PATCH', `/Groups/${created.json.id}`, { body: { Operations: [{ op: 'add', path: 'members', value: many }] } });
  expect(patch.status).toBe(400);
  expect(patch.json.scimType).toBe('tooMany');
  const byMember = await account.scim('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${userIds[1]}"]`)}`);
  expect(byMember.json.Resources.map((g: { displayName: string }) => g.displayName)).toContain('Entra Renamed');
});
