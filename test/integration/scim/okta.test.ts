// Replays Okta's provisioning sequence (INTEROP.md) end to end over real HTTP, with Okta's own bodies and headers.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { body, loadFixture } from './fixtures.ts';
import { createScimAccount, type ScimAccount } from './scim-account.ts';

// Multi-step sequences over real HTTP on a machine shared with other test runs.
jest.setTimeout(60_000);

const okta = loadFixture('okta');
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
let stack: TestStack;
let account: ScimAccount;

beforeAll(async () => {
  stack = await startTestStack();
  account = await createScimAccount(stack, 'Okta Customer', 'okta.example');
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

const call = (method: string, path: string, payload?: unknown, headers: Record<string, string> = {}) =>
  account.scim(method, path, { ...(payload !== undefined ? { body: payload } : {}), headers: { ...okta.headers, ...headers } });
const filter = (f: string) => encodeURIComponent(f);

test('Okta: test connection, assign, link, profile update by PUT, deactivate/reactivate both ways, group push', async () => {
  // Test Connector Configuration on a brand-new account.
  for (const path of ['/Users?startIndex=1&count=1', '/Users?startIndex=1&count=2', '/Groups?startIndex=1&count=100']) {
    const res = await call('GET', path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.json).toMatchObject({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  }
  const connector = await call('GET', `/Users?filter=${filter('userName eq "nobody@okta.example"')}&startIndex=1&count=1`);
  expect(connector.json.totalResults).toBe(0);

  // Assign: look up, then create.
  const userName = 'jane.doe@okta.example';
  const lookup = await call('GET', `/Users?filter=${filter(`userName eq "${userName}"`)}&startIndex=1&count=100`);
  expect(lookup.json.totalResults).toBe(0);
  const created = await call('POST', '/Users', body(okta, 'createUser', { userName }));
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({ userName, active: true, externalId: '00ujl29u0le5T6Aj10h7', locale: 'en-US', name: { givenName: 'Jane' } });
  expect(created.json.password).toBeUndefined();
  const userId = created.json.id as string;
  const duplicate = await call('POST', '/Users', body(okta, 'createUser', { userName }));
  expect(duplicate.status).toBe(409);
  expect(duplicate.json).toMatchObject({ status: '409', scimType: 'uniqueness' });

  // Deactivate (OIN: path-less PATCH); the filter still finds the inactive user, so Okta links and reactivates.
  expect((await call('PATCH', `/Users/${userId}`, body(okta, 'deactivate'))).json.active).toBe(false);
  const linked = await call('GET', `/Users?filter=${filter(`userName eq "${userName.toUpperCase()}"`)}&startIndex=1&count=100`);
  expect(linked.json.Resources).toEqual([expect.objectContaining({ id: userId, active: false })]);
  expect((await call('PATCH', `/Users/${userId}`, body(okta, 'reactivate'))).json.active).toBe(true);

  // Profile update: GET then PUT of the whole resource read (id, meta, groups, password included).
  const read = await call('GET', `/Users/${userId}`);
  const put = await call('PUT', `/Users/${userId}`, { ...read.json, groups: [], password: 'x', name: { givenName: 'Janet', familyName: 'Doe' } });
  expect(put.status).toBe(200);
  expect(put.json).toMatchObject({ id: userId, name: { givenName: 'Janet', familyName: 'Doe' }, locale: 'en-US' });
  expect(put.json.password).toBeUndefined();
  // Custom apps deactivate by PUT.
  const putOff = await call('PUT', `/Users/${userId}`, { ...put.json, active: false });
  expect(putOff.json.active).toBe(false);
  expect((await call('PUT', `/Users/${userId}`, { ...putOff.json, active: true })).json.active).toBe(true);

  // Group push.
  const other = await call('POST', '/Users', body(okta, 'createUser', { userName: 'john.roe@okta.example' }));
  const otherUserId = other.json.id as string;
  const groupLookup = await call('GET', `/Groups?filter=${filter('displayName eq "Test SCIMv2"')}&startIndex=1&count=100`);
  expect(groupLookup.json.totalResults).toBe(0);
  const group = await call('POST', '/Groups', body(okta, 'createGroup'));
  expect(group.status).toBe(201);
  const groupId = group.json.id as string;
  const values = { groupId, userId, userName, otherUserId, otherUserName: 'john.roe@okta.example' };
  expect((await call('PATCH', `/Groups/${groupId}`, body(okta, 'renameAndAdd', values))).status).toBe(204);
  let current = await call('GET', `/Groups/${groupId}`);
  expect(current.json).toMatchObject({ displayName: 'Test SCIMv2 Renamed', members: [expect.objectContaining({ value: userId })] });
  expect((await call('PATCH', `/Groups/${groupId}`, body(okta, 'removeAndAdd', values))).status).toBe(204);
  current = await call('GET', `/Groups/${groupId}`);
  expect(current.json.members.map((m: { value: string }) => m.value)).toEqual([otherUserId]);
  expect((await call('PATCH', `/Groups/${groupId}`, body(okta, 'replaceMembers', values))).status).toBe(204);
  current = await call('GET', `/Groups/${groupId}`);
  expect(current.json.members.map((m: { value: string }) => m.value).sort()).toEqual([userId, otherUserId].sort());
  const putGroup = await call('PUT', `/Groups/${groupId}`, { ...current.json, members: [{ value: userId, display: userName }] });
  expect(putGroup.status).toBe(200);
  expect(putGroup.json.members.map((m: { value: string }) => m.value)).toEqual([userId]);
  expect((await call('DELETE', `/Groups/${groupId}`)).status).toBe(204);
  const gone = await call('GET', `/Groups/${groupId}`);
  expect(gone.status).toBe(404);
  expect(gone.json).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: expect.any(String) });
});

test('Okta import: 1,000 users by pages of 100 in a stable order with integer totals', async () => {
  const total = 1000;
  const existing = (await call('GET', '/Users?count=0')).json.totalResults as number;
  const names = Array.from({ length: total }, (_, i) => `import${String(i).padStart(4, '0')}@okta.example`);
  for (let i = 0; i < names.length; i += 25) {
    const batch = await Promise.all(names.slice(i, i + 25).map((userName) => call('POST', '/Users', { userName })));
    expect(batch.every((r) => r.status === 201)).toBe(true);
  }
  const seen: string[] = [];
  for (let start = 1; start <= total + existing; start += 100) {
    const page = await call('GET', `/Users?startIndex=${start}&count=100`);
    expect(page.json).toMatchObject({ totalResults: total + existing, startIndex: start });
    expect(Number.isInteger(page.json.itemsPerPage)).toBe(true);
    seen.push(...page.json.Resources.map((r: { id: string }) => r.id));
  }
  expect(seen).toHaveLength(total + existing);
  expect(new Set(seen).size).toBe(total + existing);
  expect([...seen].sort()).toEqual(seen);
  const cursorIds: string[] = [];
  let next: string | undefined = '';
  while (next !== undefined) {
    const page = await call('GET', `/Users?count=200&cursor=${next}`);
    cursorIds.push(...page.json.Resources.map((r: { id: string }) => r.id));
    next = page.json.nextCursor;
  }
  expect(cursorIds).toEqual(seen);
}, 180_000);
