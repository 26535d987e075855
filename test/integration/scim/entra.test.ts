// Replays Entra ID's provisioning sequence (INTEROP.md) end to end over real HTTP, both PATCH dialects.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { body, loadFixture } from './fixtures.ts';
import { createScimAccount, type ScimAccount } from './scim-account.ts';

// Multi-step sequences over real HTTP on a machine shared with other test runs.
jest.setTimeout(60_000);

const entra = loadFixture('entra');
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let stack: TestStack;
let account: ScimAccount;

beforeAll(async () => {
  stack = await startTestStack();
  account = await createScimAccount(stack, 'Entra Customer', 'entra.example');
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

const call = (method: string, path: string, payload?: unknown, query = '') =>
  account.scim(method, `${path}${query}`, { ...(payload !== undefined ? { body: payload } : {}), headers: entra.headers });

test('Entra: test connection, match, create, both PATCH dialects, manager, disable/enable, groups, hard delete', async () => {
  // Test Connection: a random GUID, spaces as `+`.
  const probe = await call('GET', '/Users?filter=userName+eq+%2268b2a3b5-3c44-4d7e-9f1a-0c1d2e3f4a5b%22');
  expect(probe.status).toBe(200);
  expect(probe.json).toMatchObject({ totalResults: 0, Resources: [] });
  expect((await call('GET', '/Schemas')).status).toBe(200);

  // Matching: userName, externalId (quoted and unquoted), emails[type eq "work"].value.
  const userName = 'test.user@entra.example';
  const externalId = '0b7c6a2e-5f1d-4e8a-9b3c-2d1e0f9a8b7c';
  for (const f of [`userName eq "${userName}"`, `externalId eq "${externalId}"`, `emails[type eq "work"].value eq "${userName}"`]) {
    expect((await call('GET', `/Users?filter=${encodeURIComponent(f)}`)).json.totalResults).toBe(0);
  }
  const created = await call('POST', '/Users', body(entra, 'createUser', { userName, externalId }));
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({ userName, externalId, active: true, [ENT]: { employeeNumber: '100' } });
  expect(created.json.title).toBeUndefined();
  const id = created.json.id as string;
  for (const f of [`externalId eq ${externalId}`, `emails[type eq "work"].value eq "${userName}"`, `userName eq "${userName}" and active eq true`]) {
    expect([f, (await call('GET', `/Users?filter=${encodeURIComponent(f)}`)).json.totalResults]).toEqual([f, 1]);
  }

  // Default dialect: capitalised ops, one per path, userName change, filtered email paths (created when missing).
  const newUserName = 'updated.user@entra.example';
  const updated = await call('PATCH', `/Users/${id}`, body(entra, 'updateDefault', { newUserName, externalId }));
  expect(updated.status).toBe(200);
  expect(updated.json).toMatchObject({
    userName: newUserName,
    externalId: `${externalId}-2`,
    name: { familyName: 'Updated', givenName: 'Test' },
    emails: [
      { type: 'work', value: newUserName, primary: true },
      { type: 'other', value: 'other@elsewhere.example' },
    ],
    [ENT]: { employeeNumber: '200' },
  });
  expect((await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).json.totalResults).toBe(0);
  expect((await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${newUserName}"`)}`)).json.totalResults).toBe(1);
  const reuse = await call('POST', '/Users', { userName });
  expect(reuse.status).toBe(201);

  // ?aadOptscim062020 dialect: path-less replace with dotted and URN keys.
  const aad = await call('PATCH', `/Users/${id}`, body(entra, 'updateAadOpt'), '?aadOptscim062020');
  expect(aad.json).toMatchObject({ displayName: 'Renamed User', name: { givenName: 'Renamed', familyName: 'Updated' }, [ENT]: { employeeNumber: '300' } });

  // Manager, both forms.
  const managerId = reuse.json.id as string;
  expect((await call('PATCH', `/Users/${id}`, body(entra, 'managerArray', { managerId }))).json[ENT].manager).toEqual({ value: managerId });
  expect((await call('PATCH', `/Users/${id}`, body(entra, 'managerString', { managerId }))).json[ENT].manager).toEqual({ value: managerId });

  // Validator's empty Operations.
  const empty = await call('PATCH', `/Users/${id}`, body(entra, 'emptyOperations'));
  expect(empty.status).toBe(400);
  expect(empty.json).toMatchObject({ status: '400', scimType: 'invalidValue' });

  // Soft delete and back; a disabled user still comes back from GET and from a filter, with active present.
  expect((await call('PATCH', `/Users/${id}`, body(entra, 'disable'))).json.active).toBe(false);
  expect((await call('GET', `/Users/${id}`)).json.active).toBe(false);
  const disabled = await call('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}-2"`)}`);
  expect(disabled.json.Resources[0].active).toBe(false);
  expect((await call('PATCH', `/Users/${id}`, body(entra, 'enable'))).json.active).toBe(true);

  // Groups.
  const group = await call('POST', '/Groups', body(entra, 'createGroup', { groupExternalId: 'entra-group-1' }));
  expect(group.status).toBe(201);
  const groupId = group.json.id as string;
  const byName = await call('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Entra Group"')}`);
  expect(byName.json.Resources).toEqual([expect.not.objectContaining({ members: expect.anything() })]);
  expect((await call('PATCH', `/Groups/${groupId}`, body(entra, 'renameGroup'))).status).toBe(204);
  expect((await call('PATCH', `/Groups/${groupId}`, body(entra, 'addMembers', { userId: id, managerId }))).status).toBe(204);
  const members = async () => ((await call('GET', `/Groups/${groupId}`)).json.members ?? []).map((m: { value: string }) => m.value).sort();
  expect(await members()).toEqual([id, managerId].sort());
  expect((await call('PATCH', `/Groups/${groupId}`, body(entra, 'removeMemberByValue', { managerId }))).status).toBe(204);
  expect(await members()).toEqual([id]);
  expect((await call('PATCH', `/Groups/${groupId}`, body(entra, 'removeMemberByFilter', { userId: id }))).status).toBe(204);
  expect(await members()).toEqual([]);
  const dupName = await call('POST', '/Groups', { displayName: 'entra group renamed' });
  expect(dupName.status).toBe(409);

  // Hard delete.
  expect((await call('DELETE', `/Users/${id}`)).status).toBe(204);
  expect((await call('GET', `/Users/${id}`)).status).toBe(404);
  expect((await call('DELETE', `/Groups/${groupId}`)).status).toBe(204);
});
