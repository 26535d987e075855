// Two accounts side by side: nothing of one is visible, writable or countable through the other's SCIM key.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { createScimAccount, type ScimAccount } from './scim-account.ts';

// Multi-step sequences over real HTTP on a machine shared with other test runs.
jest.setTimeout(60_000);

let stack: TestStack;
let a: ScimAccount;
let b: ScimAccount;
let userA: string;
let groupA: string;

beforeAll(async () => {
  stack = await startTestStack();
  a = await createScimAccount(stack, 'Tenant A', 'tenant-a.example');
  b = await createScimAccount(stack, 'Tenant B', 'tenant-b.example');
  userA = (await a.scim('POST', '/Users', { body: { userName: 'shared.name@tenant-a.example', externalId: 'ext-1' } })).json.id;
  groupA = (await a.scim('POST', '/Groups', { body: { displayName: 'Admins', externalId: 'gext-1', members: [{ value: userA }] } })).json.id;
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

test('B lists and counts nothing of A, by any filter or page', async () => {
  for (const path of [
    '/Users',
    '/Users?count=0',
    '/Users?startIndex=1&count=1',
    '/Users?cursor=',
    `/Users?filter=${encodeURIComponent('userName eq "shared.name@tenant-a.example"')}`,
    `/Users?filter=${encodeURIComponent('externalId eq "ext-1"')}`,
    `/Users?filter=${encodeURIComponent(`id eq "${userA}"`)}`,
    `/Users?filter=${encodeURIComponent('userName co "shared"')}`,
    '/Groups',
    `/Groups?filter=${encodeURIComponent('displayName eq "Admins"')}`,
    `/Groups?filter=${encodeURIComponent('externalId eq "gext-1"')}`,
    `/Groups?filter=${encodeURIComponent(`members[value eq "${userA}"]`)}`,
  ]) {
    const res = await b.scim('GET', path);
    expect([path, res.status, res.json.totalResults, res.json.Resources]).toEqual([path, 200, 0, []]);
  }
});

test('A\u2019s ids are 404 in B for every verb, and A is unchanged afterwards', async () => {
  const body = { userName: 'x@tenant-b.example' };
  const patch = { Operations: [{ op: 'replace', value: { active: false } }] };
  for (const [method, path, payload] of [
    ['GET', `/Users/${userA}`, undefined],
    ['PUT', `/Users/${userA}`, body],
    ['PATCH', `/Users/${userA}`, patch],
    ['DELETE', `/Users/${userA}`, undefined],
    ['GET', `/Groups/${groupA}`, undefined],
    ['PUT', `/Groups/${groupA}`, { displayName: 'Taken' }],
    ['PATCH', `/Groups/${groupA}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: userA }] }] }],
    ['DELETE', `/Groups/${groupA}`, undefined],
  ] as const) {
    const res = await b.scim(method, path, payload === undefined ? {} : { body: payload });
    expect([method, path, res.status]).toEqual([method, path, 404]);
  }
  const user = await a.scim('GET', `/Users/${userA}`);
  expect(user.json).toMatchObject({ active: true, meta: { version: 'W/"1"' } });
  expect((await a.scim('GET', `/Groups/${groupA}`)).json.members).toEqual([expect.objectContaining({ value: userA })]);
});

test('B cannot add A\u2019s user to its own group, and may reuse A\u2019s names', async () => {
  const res = await b.scim('POST', '/Groups', { body: { displayName: 'Admins', members: [{ value: userA }] } });
  expect(res.status).toBe(400);
  expect(res.json.scimType).toBe('invalidValue');
  expect((await b.scim('POST', '/Groups', { body: { displayName: 'Admins' } })).status).toBe(201);
  const cursorOfA = (await a.scim('GET', '/Users?cursor=&count=1')).json;
  expect(cursorOfA.Resources).toHaveLength(1);
});

test('a cursor minted for A is refused in B', async () => {
  await a.scim('POST', '/Users', { body: { userName: 'second@tenant-a.example' } });
  const page = await a.scim('GET', '/Users?cursor=&count=1');
  expect(page.json.nextCursor).toEqual(expect.any(String));
  const stolen = await b.scim('GET', `/Users?cursor=${page.json.nextCursor}&count=1`);
  expect(stolen.status).toBe(400);
  expect(stolen.json.scimType).toBe('invalidCursor');
});
