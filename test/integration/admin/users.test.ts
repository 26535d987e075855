// Users: invitations, case-insensitive email uniqueness under concurrency, the exact counter.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { getAccount } from '../../../shared/db/accounts.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;
let account: { id: string; adminKey: string };

beforeAll(async () => {
  stack = await startTestStack();
  account = await createTestAccount(stack, 'People Co');
});

afterAll(async () => {
  await stack?.stop();
});

test('ten concurrent invitations of one email in different cases create exactly one user', async () => {
  const emails = Array.from({ length: 10 }, (_, i) => (i % 2 ? 'Jane.Doe@People.example' : 'jane.doe@people.example'));
  const results = await Promise.all(
    emails.map((email) => stack.call('POST', '/api/v1/users', { token: account.adminKey, body: { email, role: 'member' } })),
  );
  expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  expect(results.filter((r) => r.status === 409)).toHaveLength(9);
  expect((await getAccount(stack.db, account.id))?.userCount).toBe(1);
  const list = await stack.call('GET', '/api/v1/users', { token: account.adminKey });
  expect(list.json.items).toHaveLength(1);
  expect(list.json.items[0]).toMatchObject({ source: 'invite', active: true, role: 'member', hasPassword: false });
});

test('users of one account are invisible to another', async () => {
  const other = await createTestAccount(stack, 'Elsewhere');
  const list = await stack.call('GET', '/api/v1/users', { token: other.adminKey });
  expect(list.json.items).toEqual([]);
  const mine = await stack.call('GET', '/api/v1/users', { token: account.adminKey });
  const patch = await stack.call('PATCH', `/api/v1/users/${mine.json.items[0].id}`, {
    token: other.adminKey,
    body: { active: false },
  });
  expect(patch.status).toBe(404);
});

test('invalid invitations are refused', async () => {
  for (const body of [{ email: 'not-an-email' }, { email: 'a@b.example', role: 'owner' }, { email: 'a@b.example', x: 1 }]) {
    expect((await stack.call('POST', '/api/v1/users', { token: account.adminKey, body })).status).toBe(400);
  }
});
