// Property-based tests (fast-check) through the real API: filters agree with in-memory evaluation, PATCH sequences
// agree with in-memory application, and no random body or filter yields a 500.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import fc from 'fast-check';
import { matches, parseFilter } from '../../../shared/scim/filter.ts';
import { applyPatch, parsePatchBody } from '../../../shared/scim/patch.ts';
import { canonicalise } from '../../../shared/scim/resource.ts';
import { USER_KIND } from '../../../shared/scim/schema.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { createScimAccount, type ScimAccount } from './scim-account.ts';

// Multi-step sequences over real HTTP on a machine shared with other test runs.
jest.setTimeout(180_000);

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let stack: TestStack;
let account: ScimAccount;

const WORDS = ['ada', 'Grace', 'linus', 'ALAN', 'x'];
const TYPES = ['work', 'home'];

beforeAll(async () => {
  stack = await startTestStack();
  account = await createScimAccount(stack, 'Properties Co', 'prop.example');
  for (let i = 0; i < 12; i++) {
    const word = WORDS[i % WORDS.length] as string;
    const res = await account.scim('POST', '/Users', {
      body: {
        userName: `${word}${i}@prop.example`,
        externalId: i % 3 === 0 ? `ext-${i}` : undefined,
        active: i % 4 !== 0,
        title: i % 2 ? word : undefined,
        name: { givenName: WORDS[(i + 1) % WORDS.length], familyName: i % 5 ? word : undefined },
        emails: [{ value: `${word}${i}@prop.example`, type: TYPES[i % 2], primary: i % 3 === 0 }],
        [ENT]: i % 2 ? { department: WORDS[(i + 2) % WORDS.length] } : undefined,
      },
    });
    if (res.status !== 201) throw new Error(res.text);
  }
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const attrs = ['userName', 'username', 'title', 'name.givenName', 'name.familyName', 'externalId', 'emails.value', 'emails.type', `${ENT}:department`, 'department', 'nickName'];
const ops = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const values = [...WORDS, 'a', 'ext-3', 'ada0@prop.example', 'work', 'home', ''].map((v) => JSON.stringify(v));
const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...attrs), fc.constantFrom(...ops), fc.constantFrom(...values)).map(([a, o, v]) => `${a} ${o} ${v}`),
  fc.constantFrom(...attrs).map((a) => `${a} pr`),
  fc.constantFrom('active eq true', 'active eq false', 'active ne true'),
  fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...values)).map(([t, v]) => `emails[type eq "${t}" and value co ${v}]`),
  fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...values)).map(([t, v]) => `emails[type eq "${t}"].value sw ${v}`),
);
const filterArb: fc.Arbitrary<string> = fc.letrec((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('f') as fc.Arbitrary<string>, fc.constantFrom('and', 'or', 'AND'), tie('f') as fc.Arbitrary<string>).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    (tie('f') as fc.Arbitrary<string>).map((a) => `not (${a})`),
  ),
})).f;

test('any filter the parser accepts returns exactly the users that match it in memory', async () => {
  const all = await account.scim('GET', '/Users?count=200');
  expect(all.json.totalResults).toBe(12);
  const resources = all.json.Resources as Record<string, unknown>[];
  await fc.assert(
    fc.asyncProperty(filterArb, async (filter) => {
      const res = await account.scim('GET', `/Users?count=200&filter=${encodeURIComponent(filter)}`);
      let expected: string[];
      try {
        const parsed = parseFilter(filter);
        expected = resources.filter((r) => matches(USER_KIND, parsed, r)).map((r) => r.id as string).sort();
      } catch (error) {
        expect([filter, res.status, res.json.scimType]).toEqual([filter, 400, (error as { scimType?: string }).scimType]);
        return;
      }
      expect([filter, res.status]).toEqual([filter, 200]);
      expect([filter, (res.json.Resources as { id: string }[]).map((r) => r.id).sort()]).toEqual([filter, expected]);
      expect(res.json.totalResults).toBe(expected.length);
    }),
    { numRuns: 60 },
  );
});

const patchPaths = ['title', 'displayName', 'nickName', 'name.givenName', 'name.familyName', 'emails[type eq "work"].value', 'emails', `${ENT}:department`, 'manager', 'phoneNumbers'];
const patchValue = (path: string): fc.Arbitrary<unknown> =>
  path === 'emails' || path === 'phoneNumbers'
    ? fc.array(fc.record({ value: fc.constantFrom('p@prop.example', 'q@prop.example'), type: fc.constantFrom(...TYPES) }), { minLength: 1, maxLength: 2 })
    : path === 'manager'
      ? fc.oneof(fc.constantFrom('m1', 'm2'), fc.constant([{ value: 'm3' }]))
      : fc.constantFrom(...WORDS);
const operationArb = fc.constantFrom(...patchPaths).chain((path) =>
  fc.oneof(
    fc.tuple(fc.constantFrom('add', 'Replace', 'REMOVE'), patchValue(path)).map(([op, value]) => ({ op, path, value })),
    fc.record({ op: fc.constantFrom('replace', 'Add'), value: patchValue(path).map((v) => ({ [path.includes('[') ? 'title' : path]: v })) }),
  ),
);

test('any PATCH sequence through the API equals the same sequence applied in memory', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(operationArb, { minLength: 1, maxLength: 5 }), async (operations) => {
      const created = await account.scim('POST', '/Users', { body: { userName: `patch${n++}@prop.example`, emails: [{ value: 'w@prop.example', type: 'work' }] } });
      const id = created.json.id as string;
      let memory = canonicalise(USER_KIND, created.json);
      for (const operation of operations) {
        const res = await account.scim('PATCH', `/Users/${id}`, { body: { Operations: [operation] } });
        try {
          memory = applyPatch(USER_KIND, memory, parsePatchBody({ Operations: [operation] }));
        } catch (error) {
          expect([operation, res.status, res.json.scimType]).toEqual([operation, 400, (error as { scimType?: string }).scimType]);
          continue;
        }
        expect([operation, res.status]).toEqual([operation, 200]);
      }
      const final = await account.scim('GET', `/Users/${id}`);
      expect(canonicalise(USER_KIND, final.json)).toEqual(memory);
    }),
    { numRuns: 20 },
  );
});

test('random bodies, PATCH operations and filters never yield a 500', async () => {
  const target = (await account.scim('POST', '/Users', { body: { userName: 'fuzz@prop.example' } })).json.id as string;
  const jsonish = fc.oneof(fc.anything(), fc.jsonValue(), fc.dictionary(fc.constantFrom('userName', 'name', 'emails', 'active', ENT, 'members', 'displayName', 'externalId'), fc.jsonValue()));
  await fc.assert(
    fc.asyncProperty(
      jsonish,
      fc.array(fc.record({ op: fc.oneof(fc.constantFrom('add', 'replace', 'remove'), fc.string()), path: fc.option(fc.oneof(fc.constantFrom(...patchPaths, 'id', 'meta', 'members[value eq "x"]', 'emails[', 'a.b.c'), fc.string())), value: fc.jsonValue() }, { requiredKeys: [] })),
      fc.oneof(filterArb, fc.string(), fc.stringMatching(/^[\w ."()[\]]{0,40}$/)),
      async (body, operations, filter) => {
        const results = await Promise.all([
          account.scim('POST', '/Users', { body: JSON.stringify(body) ?? 'null' }),
          account.scim('PUT', `/Users/${target}`, { body: JSON.stringify(body) ?? 'null' }),
          account.scim('PATCH', `/Users/${target}`, { body: { Operations: operations } }),
          account.scim('POST', '/Groups', { body: JSON.stringify(body) ?? 'null' }),
          account.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`),
          account.scim('GET', `/Groups?filter=${encodeURIComponent(filter)}&sortBy=displayName`),
        ]);
        for (const res of results) expect([res.status < 500, res.text.slice(0, 200)]).toEqual([true, res.text.slice(0, 200)]);
      },
    ),
    { numRuns: 40 },
  );
});
