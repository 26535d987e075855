// /Users over real HTTP: create, read, list, filter, replace, patch, ETags, deactivate, delete, errors.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { createSession, validateSession } from '../../../shared/auth/sessions.ts';
import { getAccount } from '../../../shared/db/accounts.ts';
import { listAuditEvents } from '../../../shared/db/audit.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { createScimAccount, type ScimAccount } from './scim-account.ts';

// Multi-step sequences over real HTTP on a machine shared with other test runs.
jest.setTimeout(60_000);

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const IDENTITY = 'urn:ietf:params:scim:schemas:extension:identity:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let stack: TestStack;
let account: ScimAccount;

beforeAll(async () => {
  stack = await startTestStack();
  account = await createScimAccount(stack, 'Users Co', 'users.example');
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

const newUser = (local: string, extra: Record<string, unknown> = {}) => ({
  schemas: [CORE],
  userName: `${local}@users.example`,
  name: { givenName: 'Given', familyName: local },
  emails: [{ value: `${local}@users.example`, type: 'work', primary: true }],
  active: true,
  ...extra,
});

test('POST creates a scim-sourced user with id, meta, ETag and Location; the password is never returned', async () => {
  const res = await account.scim('POST', '/Users', { body: newUser('ada', { password: 'p@ss', externalId: 'okta-1' }) });
  expect(res.status).toBe(201);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(res.json).toMatchObject({
    schemas: expect.arrayContaining([CORE, IDENTITY]),
    id: expect.any(String),
    externalId: 'okta-1',
    userName: 'ada@users.example',
    active: true,
    [IDENTITY]: { role: 'member' },
    meta: { resourceType: 'User', version: 'W/"1"', location: expect.stringContaining(`/scim/v2/Users/${res.json.id}`) },
  });
  expect(res.json.password).toBeUndefined();
  expect(res.headers.etag).toBe('W/"1"');
  expect(res.headers.location).toBe(res.json.meta.location);
  const admin = await stack.call('GET', '/api/v1/users', { token: account.adminKey });
  expect(admin.json.items.find((u: { id: string }) => u.id === res.json.id)).toMatchObject({ source: 'scim', email: 'ada@users.example' });
  const audit = await listAuditEvents(stack.db, account.id, { type: 'scim.user.created', limit: 10 });
  expect(audit.items[0]).toMatchObject({ target: { type: 'user', id: res.json.id }, actor: { type: 'apiKey' }, sourceIp: '127.0.0.1' });
});

test('userName is unique per account, case-insensitively: 409 uniqueness', async () => {
  const res = await account.scim('POST', '/Users', { body: newUser('ADA') });
  expect(res.status).toBe(409);
  expect(res.json).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
});

test('a userName outside the verified domains is 400 invalidValue saying so', async () => {
  const res = await account.scim('POST', '/Users', { body: { userName: 'eve@elsewhere.example' } });
  expect(res.status).toBe(400);
  expect(res.json.scimType).toBe('invalidValue');
  expect(res.json.detail).toMatch(/elsewhere\.example.*not a verified domain/);
});

test('filters: userName eq any case, externalId, value paths, co, and/or/not, pr', async () => {
  await account.scim('POST', '/Users', {
    body: newUser('grace', { externalId: 'okta-2', [ENTERPRISE]: { department: 'Navy', employeeNumber: '42' } }),
  });
  const names = async (filter: string) => {
    const res = await account.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(200);
    return (res.json.Resources as { userName: string }[]).map((u) => u.userName).sort();
  };
  expect(await names('userName eq "ADA@USERS.EXAMPLE"')).toEqual(['ada@users.example']);
  expect(await names('USERNAME Eq "grace@users.example"')).toEqual(['grace@users.example']);
  expect(await names('externalId eq "okta-2"')).toEqual(['grace@users.example']);
  expect(await names('externalId eq okta-1')).toEqual(['ada@users.example']);
  expect(await names('emails[type eq "work"].value eq "grace@users.example"')).toEqual(['grace@users.example']);
  expect(await names('emails[type eq "work" and value co "ace"]')).toEqual(['grace@users.example']);
  expect(await names('userName sw "a" or name.familyName eq "grace"')).toEqual(['ada@users.example', 'grace@users.example']);
  expect(await names('not (userName sw "a")')).toEqual(['grace@users.example']);
  expect(await names(`${ENTERPRISE}:department eq "navy"`)).toEqual(['grace@users.example']);
  expect(await names('title pr')).toEqual([]);
  expect(await names('userName eq "nobody@users.example"')).toEqual([]);
  expect(await names('meta.created gt "2000-01-01T00:00:00Z" and active eq true')).toHaveLength(2);
  const plus = await account.scim('GET', '/Users?filter=userName+eq+%22ada@users.example%22');
  expect(plus.json.totalResults).toBe(1);
  const bad = await account.scim('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
  expect(bad.status).toBe(400);
  expect(bad.json.scimType).toBe('invalidFilter');
  const badOp = await account.scim('GET', `/Users?filter=${encodeURIComponent('active gt true')}`);
  expect(badOp.json.scimType).toBe('invalidFilter');
});

test('Okta connector test: filter with startIndex=1&count=1, and an empty match is 200 with totalResults 0', async () => {
  const hit = await account.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ada@users.example"')}&startIndex=1&count=1`);
  expect(hit.json).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
  const miss = await account.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "x@y.example"')}&startIndex=1&count=100`);
  expect(miss.status).toBe(200);
  expect(miss.json).toEqual({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: 0,
    itemsPerPage: 0,
    startIndex: 1,
    Resources: [],
  });
});

test('attributes, excludedAttributes, sortBy, count=0', async () => {
  const only = await account.scim('GET', '/Users?attributes=userName,name.familyName&sortBy=userName&sortOrder=descending');
  expect(only.json.Resources[0]).toEqual({
    schemas: expect.any(Array),
    id: expect.any(String),
    userName: 'grace@users.example',
    name: { familyName: 'grace' },
  });
  const without = await account.scim('GET', '/Users?excludedAttributes=emails,meta');
  expect(without.json.Resources[0].emails).toBeUndefined();
  expect(without.json.Resources[0].meta).toBeUndefined();
  expect(without.json.Resources[0].userName).toBeDefined();
  const totals = await account.scim('GET', '/Users?count=0');
  expect(totals.json).toMatchObject({ totalResults: 2, itemsPerPage: 0, Resources: [] });
});

test('GET by id, unknown id is 404 in the SCIM schema', async () => {
  const list = await account.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ada@users.example"')}`);
  const id = list.json.Resources[0].id;
  const one = await account.scim('GET', `/Users/${id}`);
  expect(one.status).toBe(200);
  expect(one.headers.etag).toBe(one.json.meta.version);
  const missing = await account.scim('GET', '/Users/0190a0a0-0000-7000-8000-000000000000');
  expect(missing.status).toBe(404);
  expect(missing.json).toMatchObject({ schemas: [ERROR], status: '404' });
});

test('PUT replaces; If-Match with a stale version is 412; read-only input is ignored', async () => {
  const created = await account.scim('POST', '/Users', { body: newUser('linus') });
  const id = created.json.id;
  const put = await account.scim('PUT', `/Users/${id}`, {
    body: { ...created.json, displayName: 'Linus T', title: 'Kernel' },
    headers: { 'If-Match': created.json.meta.version },
  });
  expect(put.status).toBe(200);
  expect(put.json).toMatchObject({ id, displayName: 'Linus T', title: 'Kernel', meta: { version: 'W/"2"' } });
  const stale = await account.scim('PUT', `/Users/${id}`, { body: created.json, headers: { 'If-Match': 'W/"1"' } });
  expect(stale.status).toBe(412);
  expect(stale.json.schemas).toEqual([ERROR]);
});

test('PATCH: Okta path-less deactivate, Entra "False" string, dotted and URN keys, filtered paths that create', async () => {
  const created = await account.scim('POST', '/Users', { body: newUser('margaret') });
  const id = created.json.id;
  const patch = (Operations: unknown[], headers: Record<string, string> = {}) =>
    account.scim('PATCH', `/Users/${id}`, { body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations }, headers });

  const off = await patch([{ op: 'replace', value: { active: false } }]);
  expect(off.status).toBe(200);
  expect(off.json.active).toBe(false);
  const on = await patch([{ op: 'Replace', path: 'active', value: 'True' }]);
  expect(on.json.active).toBe(true);
  const off2 = await patch([{ op: 'Replace', path: 'active', value: 'False' }]);
  expect(off2.json.active).toBe(false);
  const inactive = await account.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "margaret@users.example"')}`);
  expect(inactive.json.Resources[0].active).toBe(false);

  const entra = await patch([
    { op: 'Replace', path: 'name.familyName', value: 'Hamilton' },
    { op: 'Add', path: 'emails[type eq "home"].value', value: 'm@home.example' },
    { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '7' },
    { op: 'Add', path: 'manager', value: [{ $ref: null, value: 'boss-id' }] },
    { op: 'replace', value: { displayName: 'Margaret H', 'name.givenName': 'Maggie', [`${ENTERPRISE}:department`]: 'Apollo' } },
  ]);
  expect(entra.status).toBe(200);
  expect(entra.json).toMatchObject({
    displayName: 'Margaret H',
    name: { givenName: 'Maggie', familyName: 'Hamilton' },
    emails: expect.arrayContaining([{ value: 'm@home.example', type: 'home' }]),
    [ENTERPRISE]: { employeeNumber: '7', department: 'Apollo', manager: { value: 'boss-id' } },
  });
  const managerString = await patch([{ op: 'add', path: `${ENTERPRISE}:manager`, value: 'boss-2' }]);
  expect(managerString.json[ENTERPRISE].manager).toEqual({ value: 'boss-2' });
  const removed = await patch([{ op: 'remove', path: 'emails[type eq "home"]' }]);
  expect(removed.json.emails).toEqual([{ value: 'margaret@users.example', type: 'work', primary: true }]);

  const errors: [unknown[], string][] = [
    [[], 'invalidValue'],
    [[{ op: 'replace', path: 'id', value: 'x' }], 'mutability'],
    [[{ op: 'replace', path: 'meta.created', value: 'x' }], 'mutability'],
    [[{ op: 'replace', path: 'nope', value: 'x' }], 'invalidPath'],
    [[{ op: 'remove' }], 'noTarget'],
    [[{ op: 'replace', path: 'emails[type sw "x"].value', value: 'x' }], 'noTarget'],
    [[{ op: 'jump', path: 'title', value: 'x' }], 'invalidSyntax'],
    [[{ op: 'replace', path: 'active', value: 'maybe' }], 'invalidValue'],
  ];
  for (const [ops, scimType] of errors) {
    const res = await patch(ops);
    expect([JSON.stringify(ops), res.status, res.json.scimType]).toEqual([JSON.stringify(ops), 400, scimType]);
  }
  const notArray = await account.scim('PATCH', `/Users/${id}`, { body: { Operations: 'x' } });
  expect(notArray.json.scimType).toBe('invalidSyntax');
  const stale = await patch([{ op: 'replace', path: 'title', value: 'x' }], { 'If-Match': 'W/"1"' });
  expect(stale.status).toBe(412);
});

test('concurrent PATCHes of one user lose no update', async () => {
  const created = await account.scim('POST', '/Users', { body: newUser('concurrent') });
  const id = created.json.id;
  const fields = ['title', 'nickName', 'locale', 'timezone', 'userType', 'preferredLanguage', 'displayName'];
  const results = await Promise.all(
    fields.map((field) => account.scim('PATCH', `/Users/${id}`, { body: { Operations: [{ op: 'add', path: field, value: `v-${field}` }] } })),
  );
  expect(results.map((r) => r.status)).toEqual(fields.map(() => 200));
  const final = await account.scim('GET', `/Users/${id}`);
  for (const field of fields) expect(final.json[field]).toBe(`v-${field}`);
  expect(final.json.meta.version).toBe(`W/"${1 + fields.length}"`);
});

test('deactivating stops the user\u2019s own API keys; DELETE removes the user and the count', async () => {
  const created = await account.scim('POST', '/Users', { body: newUser('keyholder') });
  const id = created.json.id;
  const key = await stack.call('POST', '/api/v1/api-keys', {
    token: account.adminKey,
    body: { description: 'personal', ownerId: id, scopes: ['admin'] },
  });
  expect(key.status).toBe(201);
  expect((await stack.call('GET', '/api/v1/account', { token: key.json.token })).status).toBe(200);
  await account.scim('PATCH', `/Users/${id}`, { body: { Operations: [{ op: 'replace', value: { active: false } }] } });
  expect((await stack.call('GET', '/api/v1/account', { token: key.json.token })).status).toBe(401);
  await account.scim('PATCH', `/Users/${id}`, { body: { Operations: [{ op: 'replace', value: { active: true } }] } });
  expect((await stack.call('GET', '/api/v1/account', { token: key.json.token })).status).toBe(200);

  const before = (await getAccount(stack.db, account.id))?.userCount ?? 0;
  const del = await account.scim('DELETE', `/Users/${id}`);
  expect(del.status).toBe(204);
  expect((await account.scim('GET', `/Users/${id}`)).status).toBe(404);
  expect((await account.scim('DELETE', `/Users/${id}`)).status).toBe(404);
  expect((await getAccount(stack.db, account.id))?.userCount).toBe(before - 1);
  expect((await stack.call('GET', '/api/v1/account', { token: key.json.token })).status).toBe(401);
  const again = await account.scim('POST', '/Users', { body: newUser('keyholder') });
  expect(again.status).toBe(201);
});

test('bad bodies are 400s, never 500', async () => {
  const bodies: unknown[] = [
    'not json',
    [],
    {},
    { userName: 42 },
    { userName: 'x' },
    { userName: 'ok@users.example', emails: 'x' },
    { userName: 'ok@users.example', name: 'x' },
    { userName: 'ok@users.example', active: 'sometimes' },
    { userName: 'ok@users.example', [IDENTITY]: { role: 'owner' } },
  ];
  for (const body of bodies) {
    const res = await account.scim('POST', '/Users', { body });
    expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
    expect(res.json.schemas).toEqual([ERROR]);
  }
});

test('deactivation ends the user\u2019s sessions for good: reactivating does not bring them back', async () => {
  const created = await account.scim('POST', '/Users', { body: newUser('sessions') });
  const id = created.json.id;
  const audit = { accountId: account.id, action: 'login.succeeded', actor: { type: 'user' as const, id }, outcome: 'success' as const };
  const cookies = await Promise.all([1, 2].map(() => createSession(stack.db, { accountId: account.id, userId: id, method: 'password' }, audit)));
  const other = await account.scim('POST', '/Users', { body: newUser('bystander') });
  const bystander = await createSession(stack.db, { accountId: account.id, userId: other.json.id, method: 'password' }, audit);
  for (const cookie of cookies) expect(await validateSession(stack.db, cookie)).toBeDefined();
  await account.scim('PATCH', `/Users/${id}`, { body: { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] } });
  for (const cookie of cookies) expect(await validateSession(stack.db, cookie)).toBeUndefined();
  await account.scim('PATCH', `/Users/${id}`, { body: { Operations: [{ op: 'Replace', path: 'active', value: 'True' }] } });
  for (const cookie of cookies) expect(await validateSession(stack.db, cookie)).toBeUndefined();
  expect(await validateSession(stack.db, bystander)).toBeDefined();
});
