// The audit trail through the API: what the admin API itself wrote, filtered, paginated, and per tenant.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;
let account: { id: string; adminKey: string };

beforeAll(async () => {
  stack = await startTestStack();
  account = await createTestAccount(stack, 'Audited');
  for (let i = 0; i < 3; i++) {
    await stack.call('POST', '/api/v1/api-keys', { token: account.adminKey, body: { description: `k${i}`, scopes: ['admin'] } });
  }
  await stack.call('PUT', '/api/v1/account/ip-allowlist', { token: account.adminKey, body: { cidrs: [] } });
});

afterAll(async () => {
  await stack?.stop();
});

test('every admin change is an event with actor, target, outcome, source IP and time, newest first', async () => {
  const result = await stack.call('GET', '/api/v1/audit-events', { token: account.adminKey });
  expect(result.status).toBe(200);
  const actions = result.json.items.map((e: { action: string }) => e.action);
  expect(actions).toEqual([
    'account.ipAllowlist.updated',
    'apiKey.created',
    'apiKey.created',
    'apiKey.created',
    'account.created',
  ]);
  const created = result.json.items[1];
  expect(created).toMatchObject({ actor: { type: 'apiKey' }, target: { type: 'apiKey' }, outcome: 'success', sourceIp: '127.0.0.1' });
  expect(Date.parse(created.at)).not.toBeNaN();
});

test('filters by type prefix and pages with a cursor', async () => {
  const first = await stack.call('GET', '/api/v1/audit-events?type=apiKey&limit=2', { token: account.adminKey });
  expect(first.json.items).toHaveLength(2);
  expect(first.json.nextCursor).toBeDefined();
  const second = await stack.call('GET', `/api/v1/audit-events?type=apiKey&limit=2&cursor=${first.json.nextCursor}`, {
    token: account.adminKey,
  });
  expect(second.json.items).toHaveLength(1);
  const ids = [...first.json.items, ...second.json.items].map((e: { id: string }) => e.id);
  expect(new Set(ids).size).toBe(3);
});

test("another account's events are invisible and its cursors are refused", async () => {
  const other = await createTestAccount(stack, 'Other');
  const mine = await stack.call('GET', '/api/v1/audit-events?limit=1', { token: account.adminKey });
  const theirs = await stack.call('GET', '/api/v1/audit-events', { token: other.adminKey });
  expect(theirs.json.items.map((e: { action: string }) => e.action)).toEqual(['account.created']);
  const stolen = await stack.call('GET', `/api/v1/audit-events?cursor=${mine.json.nextCursor}`, { token: other.adminKey });
  expect(stolen.status).toBe(400);
});

test('bad parameters are 400', async () => {
  for (const q of ['since=yesterday', 'limit=0', 'limit=1000', 'outcome=maybe', 'type=%3Cx%3E']) {
    expect((await stack.call('GET', `/api/v1/audit-events?${q}`, { token: account.adminKey })).status).toBe(400);
  }
});
