// SCIM: DynamoDB calls per operation (the SCIM cores against DynamoDB Local, counted at the SDK), and time per page when
// walking BENCH_SCIM_USERS (default 10,000) users with count=100, at the start and at the end of the list, by startIndex
// and by cursor. `npm run bench -- scim-calls`. Authorizer calls are not included (see the authorizer benchmark).
import { startDynamoDbLocal, ensureTable } from '../infra/local/dynamodb-local.ts';
import type { AuditEvent } from '../shared/db/audit.ts';
import { createAccount } from '../shared/db/accounts.ts';
import { createDb } from '../shared/db/client.ts';
import { addDomain, markDomainVerified } from '../shared/db/domains.ts';
import { createScimUser } from '../shared/db/users.ts';
import { createGroup, getGroup, patchGroup } from '../shared/scim/groups.ts';
import { parseListQuery } from '../shared/scim/http.ts';
import { parsePatchBody } from '../shared/scim/patch.ts';
import { USER_KIND } from '../shared/scim/schema.ts';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser, renderUser } from '../shared/scim/users.ts';
import { countCalls, machine, round, summarise, writeResult } from './lib.ts';

process.env.PUBLIC_BASE_URL ??= 'http://127.0.0.1:3000';
const USERS = Number(process.env.BENCH_SCIM_USERS ?? 10_000);
const PAGE = 100;
const SAMPLE_PAGES = 5;

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  try {
    await ensureTable(dynamo.endpoint, 'bench');
    const db = createDb({ tableName: 'bench', endpoint: dynamo.endpoint });
    const { account } = await createAccount(db, { name: 'Bench', keyLifetimeDays: 30 });
    const accountId = account.id;
    const audit = (action: string): AuditEvent => ({ accountId, action, actor: { type: 'system', id: 'bench' }, outcome: 'success' });
    await addDomain(db, accountId, 'bench.example');
    await markDomainVerified(db, accountId, 'bench.example', audit('domain.verified'));

    // Seed (not measured per call): USERS people, 32 writers in parallel.
    const seedStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < USERS) {
          const i = next++;
          await createScimUser(
            db,
            accountId,
            { email: `user${i}@bench.example`, active: true, role: 'member', externalId: `ext-${i}`, profile: {} },
            audit('scim.user.created'),
          );
        }
      }),
    );
    const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);

    const counter = countCalls(db.doc);
    const measure = async (name: string, fn: () => Promise<unknown>) => {
      counter.reset();
      await fn();
      return { operation: name, calls: counter.total(), detail: Object.fromEntries(counter.counts) };
    };
    const list = (query: Record<string, string>) => listUsers(db, accountId, parseListQuery(USER_KIND, query));
    const created = await createUser(db, accountId, { userName: 'probe@bench.example', externalId: 'probe' }, audit('x'));
    const group = await createGroup(db, accountId, { displayName: 'Bench group' }, audit('x'));
    const ops = [
      await measure('GET /Users/{id}', () => getUser(db, accountId, created.id).then(renderUser)),
      await measure('GET /Users?filter=userName eq', () => list({ filter: 'userName eq "PROBE@bench.example"' })),
      await measure('GET /Users?filter=externalId eq', () => list({ filter: 'externalId eq "probe"' })),
      await measure('GET /Users?startIndex=1&count=100', () => list({ startIndex: '1', count: '100' })),
      await measure('GET /Users?cursor=…&count=100 (a later page)', async () => {
        const first = (await list({ cursor: '', count: '100' })) as { nextCursor?: string };
        counter.reset();
        return list({ cursor: first.nextCursor ?? '', count: '100' });
      }),
      await measure('POST /Users', () => createUser(db, accountId, { userName: 'new@bench.example' }, audit('x'))),
      await measure('PATCH /Users/{id} (title)', () =>
        patchUser(db, accountId, created.id, parsePatchBody({ Operations: [{ op: 'replace', path: 'title', value: 'T' }] }), {}, audit('x')),
      ),
      await measure('PATCH /Users/{id} (active false)', () =>
        patchUser(db, accountId, created.id, parsePatchBody({ Operations: [{ op: 'replace', value: { active: false } }] }), {}, audit('x')),
      ),
      await measure('PUT /Users/{id}', () => replaceUser(db, accountId, created.id, { userName: 'probe@bench.example' }, {}, audit('x'))),
      await measure('POST /Groups', () => createGroup(db, accountId, { displayName: 'Another' }, audit('x'))),
      await measure('GET /Groups/{id}', () => getGroup(db, accountId, group.item.id)),
      await measure('PATCH /Groups/{id} (add member)', () =>
        patchGroup(db, accountId, group.item.id, parsePatchBody({ Operations: [{ op: 'add', path: 'members', value: [{ value: created.id }] }] }), {}, audit('x')),
      ),
      await measure('DELETE /Users/{id}', () => deleteUser(db, accountId, created.id, {}, audit('x'))),
    ];

    // Walk the whole list by startIndex and by cursor; time every page.
    const byIndex: number[] = [];
    for (let start = 1; start <= USERS; start += PAGE) {
      const t = performance.now();
      await list({ startIndex: String(start), count: String(PAGE) });
      byIndex.push(performance.now() - t);
    }
    const byCursor: number[] = [];
    let cursor: string | undefined = '';
    while (cursor !== undefined) {
      const t = performance.now();
      const page = (await list({ cursor, count: String(PAGE) })) as { nextCursor?: string };
      byCursor.push(performance.now() - t);
      cursor = page.nextCursor;
    }
    const ends = (samples: number[]) => ({
      first: summarise(samples.slice(0, SAMPLE_PAGES)),
      last: summarise(samples.slice(-SAMPLE_PAGES)),
      pages: samples.length,
    });
    const result = { machine: machine(), users: USERS, seedSeconds, calls: ops, paging: { startIndex: ends(byIndex), cursor: ends(byCursor) } };
    const md = [
      '### SCIM',
      '',
      `Machine: ${machine()}; DynamoDB Local on loopback; ${USERS} users (seeded in ${seedSeconds} s). Command: \`npm run bench -- scim-calls\`.`,
      '',
      '| Operation | DynamoDB calls (authorizer excluded) |',
      '|---|---|',
      ...ops.map((o) => `| \`${o.operation}\` | ${o.calls} (${Object.entries(o.detail).map(([k, v]) => `${k} ${v}`).join(', ')}) |`),
      '',
      `Walking all ${USERS} users with count=${PAGE} (mean ms per page over the first and the last ${SAMPLE_PAGES} pages):`,
      '',
      '| Pagination | pages | first pages ms | last pages ms |',
      '|---|---:|---:|---:|',
      `| startIndex | ${result.paging.startIndex.pages} | ${result.paging.startIndex.first.mean} | ${result.paging.startIndex.last.mean} |`,
      `| cursor (RFC 9865) | ${result.paging.cursor.pages} | ${result.paging.cursor.first.mean} | ${result.paging.cursor.last.mean} |`,
    ].join('\n');
    writeResult('scim-calls', result, md);
  } finally {
    await dynamo.stop();
  }
}

await main();
