// Concurrency and retries over real HTTP: many writers on one group and one user end in a state some serial order
// would give, with no lost update and strictly increasing versions; a POST retried after the client gave up yields
// one user.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { createScimAccount, type ScimAccount } from '../integration/scim/scim-account.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
let stack: TestStack;
let account: ScimAccount;
let dynamo: DynamoDbLocal | undefined;
const sharedEndpoint = process.env.TEST_DYNAMODB_ENDPOINT;

// Contention is measured on a DynamoDB Local of its own: the run's shared one carries every other file's load (the
// 20,000-request soak among them), which slows each round of 50 contenders until the retry budget, not correctness,
// decides the outcome.
beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  stack = await startTestStack();
  account = await createScimAccount(stack, 'Busy Co', 'busy.example');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await dynamo?.stop();
  process.env.TEST_DYNAMODB_ENDPOINT = sharedEndpoint;
});

const user = (local: string) => ({
  schemas: [CORE],
  userName: `${local}@busy.example`,
  name: { givenName: 'G', familyName: local },
  emails: [{ value: `${local}@busy.example`, type: 'work', primary: true }],
  active: true,
});

async function createUsers(prefix: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await account.scim('POST', '/Users', { body: user(`${prefix}${i}`) });
    expect(res.status).toBe(201);
    ids.push(res.json.id);
  }
  return ids;
}

async function memberIds(groupId: string): Promise<string[]> {
  const res = await account.scim('GET', `/Groups/${groupId}`);
  return (res.json.members ?? []).map((m: { value: string }) => m.value).sort();
}

const versionOf = (etag: string | undefined): number => Number(/W\/"(\d+)"/.exec(etag ?? '')?.[1]);

test('50 parallel PATCHes on one group — 25 adds and 25 removes — lose nothing; versions strictly increase', async () => {
  const stayers = await createUsers('stay', 5);
  const leavers = await createUsers('leave', 25);
  const joiners = await createUsers('join', 25);
  const created = await account.scim('POST', '/Groups', {
    body: { displayName: 'Contended', members: [...stayers, ...leavers].map((value) => ({ value })) },
  });
  expect(created.status).toBe(201);
  const groupId = created.json.id as string;
  const before = versionOf(created.headers.etag as string | undefined);

  const ops = [
    ...joiners.map((id) => ({ op: 'add', path: 'members', value: [{ value: id }] })),
    ...leavers.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
  ];
  const results = await Promise.all(
    ops.map((op) => account.scim('PATCH', `/Groups/${groupId}`, { body: { schemas: [PATCH_OP], Operations: [op] } })),
  );
  expect(results.map((r) => (r.status === 204 ? 204 : `${r.status} ${r.text.slice(0, 120)}`))).toEqual(ops.map(() => 204));
  // Any serial order of these 50 operations ends here: adds and removes touch different users.
  expect(await memberIds(groupId)).toEqual([...stayers, ...joiners].sort());
  const after = await account.scim('GET', `/Groups/${groupId}`);
  expect(versionOf(after.headers.etag as string | undefined)).toBe(before + ops.length);
});

test('50 parallel PUTs on one user: the result is one whole PUT, and each PUT got its own version', async () => {
  const [id] = await createUsers('contended', 1);
  const puts = Array.from({ length: 50 }, (_, i) => ({
    ...user('contended0'),
    name: { givenName: `given-${i}`, familyName: `family-${i}` },
    displayName: `display-${i}`,
    title: `title-${i}`,
  }));
  const results = await Promise.all(puts.map((body) => account.scim('PUT', `/Users/${id}`, { body })));
  expect(results.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.text.slice(0, 120)}`))).toEqual(puts.map(() => 200));
  const versions = results.map((r) => versionOf(r.json.meta.version)).sort((a, b) => a - b);
  expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 2)); // 1 at creation, then one each
  const final = await account.scim('GET', `/Users/${id}`);
  const i = Number(String(final.json.title).replace('title-', ''));
  expect(final.json).toMatchObject({
    displayName: `display-${i}`,
    name: { givenName: `given-${i}`, familyName: `family-${i}` },
    meta: { version: 'W/"51"' },
  });
  // The winner is the PUT that got the last version.
  expect(results.find((r) => r.json.title === `title-${i}`)?.json.meta.version).toBe('W/"51"');
});

/** Sends a request and gives up (destroys the socket) after `ms`, as a client with a short timeout would. */
function postAndGiveUp(path: string, body: unknown, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(`${stack.baseUrl}/scim/v2${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${account.scimKey}`, 'Content-Type': 'application/scim+json' },
    });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.setTimeout(ms, () => {
      req.destroy();
      resolve();
    });
    req.end(JSON.stringify(body));
  });
}

test('a POST retried after the client timed out yields exactly one user (409 uniqueness on the retry)', async () => {
  const body = user('retried');
  await postAndGiveUp('/Users', body, 1);
  // The abandoned request may still be running on the server; retry as a connector would.
  let retry = await account.scim('POST', '/Users', { body });
  if (retry.status === 201) retry = await account.scim('POST', '/Users', { body });
  expect(retry.status).toBe(409);
  expect(retry.json.scimType).toBe('uniqueness');
  const found = await account.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "RETRIED@busy.example"')}`);
  expect(found.json.totalResults).toBe(1);
});
