// SCIM and admin API under fuzzing (fast-check), judged by the table itself: a refused request answers in its surface's
// error schema, never a 500, and changes nothing; and whatever account B's key sends — valid or not, aimed at A's ids or
// not — A's partition is unchanged and none of A's ids or names appear in B's answers.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { accountPk } from '../../shared/db/keys.ts';
import { createScimAccount, type ScimAccount } from '../integration/scim/scim-account.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

jest.setTimeout(300_000);

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
let stack: TestStack;
let a: ScimAccount;
let b: ScimAccount;
const aUserIds: string[] = [];
let aGroupId = '';

beforeAll(async () => {
  stack = await startTestStack();
  a = await createScimAccount(stack, 'Victim Co', 'victim.example');
  b = await createScimAccount(stack, 'Attacker Co', 'attacker.example');
  for (const name of ['alice', 'bob', 'carol']) {
    const res = await a.scim('POST', '/Users', { body: { userName: `${name}@victim.example`, externalId: `ext-${name}`, name: { givenName: name } } });
    expect(res.status).toBe(201);
    aUserIds.push(res.json.id);
  }
  const group = await a.scim('POST', '/Groups', { body: { displayName: 'Victim Admins', members: [{ value: aUserIds[0] }] } });
  aGroupId = group.json.id;
  const own = await b.scim('POST', '/Users', { body: { userName: 'mallory@attacker.example' } });
  expect(own.status).toBe(201);
});

afterAll(async () => {
  await stack?.stop();
});

/**
 * Every item of an account's partition, as comparable JSON. Audit events are excluded (a refusal may be audited) and so
 * is the keys' `lastUsedAt` (the authorizer records use, not a change).
 */
async function snapshot(accountId: string): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.db.doc.send(
      new QueryCommand({
        TableName: stack.db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': accountPk(accountId) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(
    items
      .filter((item) => !String(item.sk).startsWith('AUDIT#'))
      .map(({ lastUsedAt: _lastUsedAt, ...rest }) => rest)
      .sort((x, y) => String(x.sk).localeCompare(String(y.sk))),
  );
}

const PATHS = ['/Users', '/Groups', '/Users/{a}', '/Groups/{g}', '/Users/{b}', '/Users/..%2f..%2fGroups', '/Users/%00', '/Schemas/x', '/ResourceTypes/User'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const QUERIES = ['', '?filter=', '?filter=userName%20eq', '?count=-1', '?count=99999', '?startIndex=0', '?startIndex=abc', '?cursor=%00', '?cursor=eyJ4Ijoi', '?sortBy=%22', '?attributes=,,,', '?excludedAttributes=meta.%5B'];
const BROKEN_BODIES = ['{', '[]', 'null', '"x"', '{"schemas":5}', '{"Operations":[{"op":"add"}]}', '{"userName":{}}', '{"userName":"x@unverified.example"}', '{"members":[{"value":null}]}', '{"displayName":""}', '{"Operations":[{"op":"replace","path":"id","value":"z"}]}', '{"Operations":[{"op":"remove","path":"members[value eq \\"nope\\"]"}]}'];

const requestArb = fc.record({
  method: fc.constantFrom(...METHODS),
  path: fc.constantFrom(...PATHS),
  query: fc.oneof(fc.constantFrom(...QUERIES), fc.string({ maxLength: 20 }).map((s) => `?filter=${encodeURIComponent(s)}`)),
  body: fc.oneof(fc.constantFrom(...BROKEN_BODIES), fc.json({ maxDepth: 3 }), fc.string({ maxLength: 40 })),
  contentType: fc.constantFrom('application/scim+json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded'),
});

function concrete(path: string, self: ScimAccount): string {
  return path.replace('{a}', aUserIds[1]!).replace('{g}', aGroupId).replace('{b}', self === b ? aUserIds[2]! : 'unknown');
}

test('refused SCIM requests answer in the SCIM error schema, never 5xx, and leave the account unchanged', async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, async (req) => {
      const before = await snapshot(a.id);
      const res = await a.scim(req.method, `${concrete(req.path, a)}${req.query}`, {
        body: req.method === 'GET' || req.method === 'DELETE' ? undefined : req.body,
        headers: { 'Content-Type': req.contentType },
      });
      expect([req, res.status < 500]).toEqual([req, true]);
      if (res.status >= 400) {
        expect([req, res.json?.schemas]).toEqual([req, [ERROR_SCHEMA]]);
        expect([req, await snapshot(a.id)]).toEqual([req, before]);
      }
    }),
    { numRuns: 120 },
  );
});

test("tenant isolation as a property: nothing B's key sends changes or reveals A's data", async () => {
  const aBefore = await snapshot(a.id);
  const secrets = [...aUserIds, aGroupId, 'alice@victim.example', 'ext-bob', 'Victim Admins'];
  await fc.assert(
    fc.asyncProperty(requestArb, async (req) => {
      const path = `${concrete(req.path, b)}${req.query}`;
      const res = await b.scim(req.method, path, {
        body: req.method === 'GET' || req.method === 'DELETE' ? undefined : req.body,
        headers: { 'Content-Type': req.contentType },
      });
      expect([req, res.status < 500]).toEqual([req, true]);
      // An id B sent may be echoed back in a 404's detail; anything else of A's must never appear.
      for (const secret of secrets.filter((s) => !path.includes(s) && !req.body.includes(s))) {
        expect([req, secret, res.text.includes(secret)]).toEqual([req, secret, false]);
      }
      if (path.includes(aUserIds[1]!) || path.includes(aGroupId) || path.includes(aUserIds[2]!)) {
        expect([req, res.status]).toEqual([req, res.status === 404 || res.status === 400 || res.status === 415 ? res.status : 404]);
      }
    }),
    { numRuns: 120 },
  );
  // Valid writes aimed at A's ids by name, too.
  for (const [method, path, body] of [
    ['PATCH', `/Users/${aUserIds[0]}`, { Operations: [{ op: 'replace', value: { active: false } }] }],
    ['PUT', `/Users/${aUserIds[0]}`, { userName: 'alice@victim.example' }],
    ['DELETE', `/Users/${aUserIds[0]}`, undefined],
    ['PATCH', `/Groups/${aGroupId}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: aUserIds[1] }] }] }],
    ['DELETE', `/Groups/${aGroupId}`, undefined],
  ] as const) {
    const res = await b.scim(method, path, body === undefined ? {} : { body });
    expect([method, path, res.status]).toEqual([method, path, 404]);
  }
  expect(await snapshot(a.id)).toEqual(aBefore);
});

test('admin API: random bodies to every write route are refused with JSON errors and write nothing', async () => {
  const writes: [string, string][] = [
    ['POST', '/api/v1/users'],
    ['PATCH', `/api/v1/users/${aUserIds[0]}`],
    ['POST', '/api/v1/api-keys'],
    ['PUT', '/api/v1/account/ip-allowlist'],
    ['PATCH', '/api/v1/account'],
    ['POST', '/api/v1/idps'],
    ['POST', '/api/v1/domains'],
    ['POST', '/api/v1/service-users'],
  ];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...writes), fc.oneof(fc.constantFrom(...BROKEN_BODIES), fc.json({ maxDepth: 3 })), async ([method, path], body) => {
      const before = await snapshot(a.id);
      const res = await stack.call(method, path, { token: a.adminKey, body });
      expect([method, path, body, res.status < 500]).toEqual([method, path, body, true]);
      if (res.status >= 400) {
        expect([method, path, body, typeof res.json?.detail]).toEqual([method, path, body, 'string']);
        expect([method, path, body, await snapshot(a.id)]).toEqual([method, path, body, before]);
      }
    }),
    { numRuns: 120 },
  );
});
