// SCIM over real HTTP against the local runtime (DynamoDB Local, local gateway, authorizer, handlers), for accounts of
// growing size. Per phase: requests/s, p50, p99 at concurrency 16, DynamoDB calls and capacity units per request.
// `npm run bench -- scim` (sizes from BENCH_SCIM_SIZES, default 1000,10000,100000).
import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '../infra/local/stack.ts';
import { createAccount } from '../shared/db/accounts.ts';
import { createApiKey } from '../shared/db/api-keys.ts';
import type { AuditEvent } from '../shared/db/audit.ts';
import { db as processDb, type Db } from '../shared/db/client.ts';
import { addDomain, markDomainVerified } from '../shared/db/domains.ts';
import { createIdp } from '../shared/db/idps.ts';
import { ENTITY, accountKey, userEmailKey } from '../shared/db/keys.ts';
import { newUserItem } from '../shared/db/users.ts';
import { countCapacity, machine, round, summarise, writeResult } from './lib.ts';

const SIZES = (process.env.BENCH_SCIM_SIZES ?? '1000,10000,100000').split(',').map(Number);
const CONCURRENCY = 16;
/** Domains are claimed globally (one account per domain), so each account size gets its own. */
const domainFor = (size: number): string => `bench${size}.test`;
const SCIM = 'application/scim+json';

interface PhaseResult {
  phase: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** The handler's own DynamoDB work; the authorizer's (1 BatchGetItem, 2 RCU, cached 60 s on AWS) is apart. */
  dynamoCallsPerRequest: number;
  rcuPerRequest: number;
  wcuPerRequest: number;
  authorizerCallsPerRequest: number;
  authorizerRcuPerRequest: number;
  errors: number;
}

/** Requests per phase: fewer on the largest account so a full run stays within minutes (the README says so). */
const requestsFor = (size: number): number => (size >= 100_000 ? 400 : 1000);

async function setupAccount(db: Db, size: number): Promise<{ accountId: string; token: string; userIds: string[] }> {
  const { account, serviceUserId } = await createAccount(db, { name: `Bench ${size}`, keyLifetimeDays: 30 });
  const system = (action: string): AuditEvent => ({
    accountId: account.id,
    action,
    actor: { type: 'system', id: 'bench' },
    outcome: 'success',
  });
  const DOMAIN = domainFor(size);
  await addDomain(db, account.id, DOMAIN);
  await markDomainVerified(db, account.id, DOMAIN, system('domain.verified'));
  await createIdp(
    db,
    account.id,
    {
      description: 'Bench IdP',
      type: 'saml',
      entityId: 'https://idp.bench.test',
      ssoUrl: 'https://idp.bench.test/sso',
      certificates: [],
      allowIdpInitiated: false,
    },
    system('idp.created'),
  );
  const { token } = await createApiKey(db, account.id, {
    description: 'bench',
    ownerId: serviceUserId,
    scopes: ['scim'],
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  // Bulk-load the account to its size directly (user + email claim, as createUserWrites writes them): the phases below
  // then measure the API on an account of that size, not the loading.
  const userIds: string[] = [];
  const items: object[] = [];
  for (let i = 0; i < size; i++) {
    const user = newUserItem(account.id, {
      email: `seed${i}@${DOMAIN}`,
      role: 'member',
      source: 'scim',
      givenName: 'Seed',
      familyName: `User ${i}`,
      displayName: `Seed User ${i}`,
      profile: {},
    });
    userIds.push(user.id);
    items.push(user, { ...userEmailKey(account.id, user.email), entity: ENTITY.userEmail, userId: user.id });
  }
  const batches: object[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length) {
          const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: pending } }));
          pending = (out.UnprocessedItems?.[db.tableName] ?? []) as typeof pending;
        }
      }
    }),
  );
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: accountKey(account.id),
      UpdateExpression: 'ADD userCount :n',
      ExpressionAttributeValues: { ':n': size },
    }),
  );
  return { accountId: account.id, token, userIds };
}

async function runPhase(
  stack: LocalStack,
  name: string,
  requests: number,
  make: (i: number) => { method: string; path: string; body?: unknown; ok: (status: number) => boolean },
  concurrency = CONCURRENCY,
): Promise<PhaseResult> {
  const capacity = countCapacity(processDb().doc);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const req = make(i);
        const t = performance.now();
        const res = await fetch(`${stack.baseUrl}${req.path}`, {
          method: req.method,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': SCIM, Accept: SCIM },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (!req.ok(res.status)) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  capacity.detach();
  const s = summarise(latencies);
  return {
    phase: name,
    requests,
    perSecond: round(requests / seconds, 0),
    p50: s.p50,
    p99: s.p99,
    dynamoCallsPerRequest: round((capacity.calls - capacity.authorizer.calls) / requests, 2),
    rcuPerRequest: round((capacity.rcu - capacity.authorizer.rcu) / requests, 2),
    wcuPerRequest: round(capacity.wcu / requests, 2),
    authorizerCallsPerRequest: round(capacity.authorizer.calls / requests, 2),
    authorizerRcuPerRequest: round(capacity.authorizer.rcu / requests, 2),
    errors,
  };
}

let token = '';

async function benchSize(stack: LocalStack, size: number): Promise<{ size: number; phases: PhaseResult[]; pageMs: ReturnType<typeof summarise>; pages: number }> {
  const setup = await setupAccount(stack.db, size);
  token = setup.token;
  const n = requestsFor(size);
  const DOMAIN = domainFor(size);
  const ids = setup.userIds;
  const pick = (i: number) => ids[(i * 7919) % ids.length]!;
  const run = randomBytes(3).toString('hex');
  const phases: PhaseResult[] = [];
  // Warm-up: JIT, sockets, authorizer path.
  await runPhase(stack, 'warm-up', 50, (i) => ({ method: 'GET', path: `/scim/v2/Users/${pick(i)}`, ok: (s) => s === 200 }));
  const created: string[] = [];
  phases.push(
    await runPhase(stack, 'create user', n, (i) => ({
      method: 'POST',
      path: '/scim/v2/Users',
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `new-${run}-${i}@${DOMAIN}`,
        name: { givenName: 'New', familyName: `User ${i}` },
        emails: [{ value: `new-${run}-${i}@${DOMAIN}`, type: 'work', primary: true }],
        active: true,
      },
      ok: (s) => s === 201,
    })),
  );
  phases.push(
    await runPhase(stack, 'filter userName eq', n, (i) => ({
      method: 'GET',
      path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "seed${(i * 7919) % size}@${DOMAIN}"`)}&startIndex=1&count=1`,
      ok: (s) => s === 200,
    })),
  );
  phases.push(await runPhase(stack, 'get by id', n, (i) => ({ method: 'GET', path: `/scim/v2/Users/${pick(i)}`, ok: (s) => s === 200 })));
  phases.push(
    await runPhase(stack, 'patch active=false', n, (i) => ({
      method: 'PATCH',
      path: `/scim/v2/Users/${ids[i % ids.length]}`,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', value: { active: false } }],
      },
      ok: (s) => s === 200 || s === 204,
    })),
  );
  // Group membership: one group per worker, as a connector pushes several groups at once.
  const groupIds: string[] = [];
  for (let g = 0; g < CONCURRENCY; g++) {
    const res = await fetch(`${stack.baseUrl}/scim/v2/Groups`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': SCIM },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Bench ${run} ${g}` }),
    });
    const body = (await res.json()) as { id?: string };
    if (res.status !== 201 || !body.id) throw new Error(`group create failed: ${res.status}`);
    groupIds.push(body.id);
  }
  phases.push(
    await runPhase(stack, 'group member add', n, (i) => ({
      method: 'PATCH',
      path: `/scim/v2/Groups/${groupIds[i % CONCURRENCY]}`,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: pick(i) }] }],
      },
      ok: (s) => s === 200 || s === 204,
    })),
  );
  // Paging through every user with RFC 9865 cursors, 100 per page, one client.
  const pageLatencies: number[] = [];
  let cursor: string | undefined = '';
  let pages = 0;
  let seen = 0;
  const capacity = countCapacity(processDb().doc);
  while (cursor !== undefined) {
    const t = performance.now();
    const res = await fetch(`${stack.baseUrl}/scim/v2/Users?count=100&cursor=${encodeURIComponent(cursor)}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: SCIM },
    });
    const body = (await res.json()) as { Resources?: unknown[]; nextCursor?: string };
    pageLatencies.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`paging failed: ${res.status} ${JSON.stringify(body)}`);
    pages++;
    seen += body.Resources?.length ?? 0;
    cursor = body.nextCursor || undefined;
  }
  capacity.detach();
  const total = size + n;
  phases.push({
    phase: `page through all (${seen} users, 100/page, 1 client)`,
    requests: pages,
    perSecond: round(pages / (pageLatencies.reduce((a, b) => a + b, 0) / 1000), 0),
    p50: summarise(pageLatencies).p50,
    p99: summarise(pageLatencies).p99,
    dynamoCallsPerRequest: round((capacity.calls - capacity.authorizer.calls) / pages, 2),
    rcuPerRequest: round((capacity.rcu - capacity.authorizer.rcu) / pages, 2),
    wcuPerRequest: round(capacity.wcu / pages, 2),
    authorizerCallsPerRequest: round(capacity.authorizer.calls / pages, 2),
    authorizerRcuPerRequest: round(capacity.authorizer.rcu / pages, 2),
    errors: seen === total ? 0 : Math.abs(total - seen),
  });
  created.length = 0;
  return { size, phases, pageMs: summarise(pageLatencies), pages };
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'SILENT';
  const stack = await startLocalStack({ operatorKey: `op_${randomBytes(16).toString('hex')}`, tableName: 'bench' });
  try {
    const results = [];
    for (const size of SIZES) {
      process.stderr.write(`scim bench: account of ${size} users…\n`);
      results.push(await benchSize(stack, size));
    }
    const lines = [
      '### SCIM over real HTTP (local gateway + DynamoDB Local), concurrency 16',
      '',
      `Machine: ${machine()}. Command: \`npm run bench -- scim\` (sizes ${SIZES.join(', ')}; ` +
        `${requestsFor(1000)} requests per phase, ${requestsFor(100_000)} at 100k). Capacity units as DynamoDB Local reports ` +
        'them with `ReturnConsumedCapacity: TOTAL` (transactions count double, as on AWS). Calls and RCU are the ' +
        "handler's own; every request also cost the authorizer the amount in the last column (locally it runs on every " +
        'request; on AWS its decision is cached for 60 s per key and address).',
      '',
      '| Users | Phase | Requests | req/s | p50 ms | p99 ms | DynamoDB calls/req | RCU/req | WCU/req | Errors | Authorizer calls / RCU per req |',
      '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ];
    for (const r of results) {
      for (const p of r.phases) {
        lines.push(
          `| ${r.size} | ${p.phase} | ${p.requests} | ${p.perSecond} | ${p.p50} | ${p.p99} | ${p.dynamoCallsPerRequest} | ${p.rcuPerRequest} | ${p.wcuPerRequest} | ${p.errors} | ${p.authorizerCallsPerRequest} / ${p.authorizerRcuPerRequest} |`,
        );
      }
    }
    writeResult('scim', { machine: machine(), concurrency: CONCURRENCY, results }, lines.join('\n'));
  } finally {
    await stack.stop();
  }
}

await main();
