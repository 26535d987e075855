// Soak: SOAK_REQUESTS (default 20,000) mixed SCIM requests from 16 concurrent clients against the local server. Each
// client owns its users, so the state every write should leave is known exactly: afterwards no 5xx was seen, every
// user holds its last written title, every group holds exactly the members its writers left, and the user count is
// exact. RSS at start and end is written to test/artifacts/soak.json (reported, not asserted: memory targets belong to
// benchmarks).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createScimAccount, type ScimAccount } from '../integration/scim/scim-account.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 20_000);
const CLIENTS = 16;
const GROUPS = 4;
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let stack: TestStack;
let account: ScimAccount;

beforeAll(async () => {
  stack = await startTestStack();
  account = await createScimAccount(stack, 'Soak Co', 'soak.example');
});

afterAll(async () => {
  await stack?.stop();
});

const newUser = (local: string) => ({
  schemas: [CORE],
  userName: `${local}@soak.example`,
  name: { givenName: 'Soak', familyName: local },
  emails: [{ value: `${local}@soak.example`, type: 'work', primary: true }],
  active: true,
});

interface Client {
  users: { id: string; userName: string; title?: string }[];
  /** Own users currently in each group, as this client left them. */
  memberships: Set<string>[];
}

test(`${REQUESTS} mixed SCIM requests from ${CLIENTS} clients: no 5xx, no lost write`, async () => {
  const rssStart = process.memoryUsage().rss;
  const groupIds: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const res = await account.scim('POST', '/Groups', { body: { displayName: `Soak ${g}` } });
    expect(res.status).toBe(201);
    groupIds.push(res.json.id);
  }
  const statuses = new Map<number, number>();
  const unexpected: string[] = [];
  let sent = 0;
  const clients: Client[] = [];

  const timeByKind = new Map<string, { n: number; ms: number }>();
  async function call(method: string, path: string, body: unknown, ok: number[]) {
    sent++;
    const started = performance.now();
    const res = await account.scim(method, path, body === undefined ? {} : { body });
    const kind = `${method} ${path.replace(/\/[0-9a-f-]{36}/g, '/{id}').replace(/\?.*/, '?…')}`;
    const t = timeByKind.get(kind) ?? { n: 0, ms: 0 };
    t.n++;
    t.ms += performance.now() - started;
    timeByKind.set(kind, t);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (!ok.includes(res.status) && unexpected.length < 20) unexpected.push(`${method} ${path} → ${res.status} ${res.text.slice(0, 200)}`);
    return res;
  }

  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const client: Client = { users: [], memberships: groupIds.map(() => new Set<string>()) };
      clients.push(client);
      const first = await call('POST', '/Users', newUser(`c${c}-0`), [201]);
      client.users.push({ id: first.json.id, userName: `c${c}-0@soak.example` });
      for (let i = 1; sent < REQUESTS; i++) {
        const user = client.users[i % client.users.length]!;
        const kind = i % 20;
        if (kind < 2) {
          const res = await call('POST', '/Users', newUser(`c${c}-${i}`), [201]);
          if (res.status === 201) client.users.push({ id: res.json.id, userName: `c${c}-${i}@soak.example` });
        } else if (kind < 7) {
          await call('GET', `/Users/${user.id}`, undefined, [200]);
        } else if (kind < 10) {
          await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`, undefined, [200]);
        } else if (kind < 14) {
          const title = `t-${c}-${i}`;
          const res = await call(
            'PATCH',
            `/Users/${user.id}`,
            { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: title }] },
            [200],
          );
          if (res.status === 200) user.title = title;
        } else if (kind < 16) {
          const g = (c + i) % GROUPS;
          const members = client.memberships[g]!;
          const remove = members.has(user.id);
          const op = remove
            ? { op: 'remove', path: `members[value eq "${user.id}"]` }
            : { op: 'add', path: 'members', value: [{ value: user.id }] };
          const res = await call('PATCH', `/Groups/${groupIds[g]}`, { schemas: [PATCH_OP], Operations: [op] }, [204, 200]);
          if (res.status < 300) {
            if (remove) members.delete(user.id);
            else members.add(user.id);
          }
        } else if (kind < 18) {
          await call('GET', `/Users?startIndex=${1 + (i % 50)}&count=25`, undefined, [200]);
        } else {
          await call('GET', `/Groups/${groupIds[i % GROUPS]}?excludedAttributes=members`, undefined, [200]);
        }
      }
    }),
  );
  const rssEnd = process.memoryUsage().rss;
  mkdirSync('test/artifacts', { recursive: true });
  writeFileSync(
    'test/artifacts/soak.json',
    `${JSON.stringify({ requests: sent, clients: CLIENTS, statuses: Object.fromEntries(statuses), rssStartMb: rssStart / 2 ** 20, rssEndMb: rssEnd / 2 ** 20, meanMsByKind: Object.fromEntries([...timeByKind].map(([k, v]) => [k, Math.round(v.ms / v.n)])) }, null, 2)}\n`,
  );

  expect(unexpected).toEqual([]);
  expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);

  // No lost write: each user holds its last title, each group exactly the members its writers left.
  const users = clients.flatMap((c) => c.users);
  for (const user of users) {
    const res = await account.scim('GET', `/Users/${user.id}?attributes=title`);
    expect([user.id, res.json.title]).toEqual([user.id, user.title]);
  }
  const list = await account.scim('GET', '/Users?count=1');
  expect(list.json.totalResults).toBe(users.length);
  for (let g = 0; g < GROUPS; g++) {
    const res = await account.scim('GET', `/Groups/${groupIds[g]}`);
    const actual = (res.json.members ?? []).map((m: { value: string }) => m.value).sort();
    const expected = clients.flatMap((c) => [...c.memberships[g]!]).sort();
    expect(actual).toEqual(expected);
  }
}, 900_000);
