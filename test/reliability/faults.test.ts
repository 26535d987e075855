// Faults we cannot provoke in DynamoDB Local on demand — throttling and timeouts — injected at the one document client the
// handlers and the authorizer share (the one place a mock is right). The caller must get 503 with Retry-After, in the
// error shape of its surface, and nothing may be half-written.
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import { db } from '../../shared/db/client.ts';
import { createTestAccount, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let account: { id: string; adminKey: string };
const FAULT = 'testFaultInjector';

beforeAll(async () => {
  stack = await startTestStack();
  account = await createTestAccount(stack, 'Faulty Co');
});

afterEach(() => {
  db().doc.middlewareStack.remove(FAULT);
});

afterAll(async () => {
  await stack?.stop();
});

/** Makes the next `times` commands named in `commands` fail with an AWS-shaped error of the given name. */
function inject(name: string, commands: string[], times = Number.POSITIVE_INFINITY): void {
  let left = times;
  db().doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (left > 0 && commands.includes(String(context.commandName))) {
        left--;
        const error = new Error(`injected ${name}`);
        error.name = name;
        Object.assign(error, { $metadata: { httpStatusCode: 400 }, $fault: 'client' });
        throw error;
      }
      return next(args);
    },
    { step: 'initialize', name: FAULT },
  );
}

test.each([
  ['ProvisionedThroughputExceededException'],
  ['ThrottlingException'],
  ['TimeoutError'],
])('%s while a handler reads → 503 with Retry-After in the admin error shape', async (name) => {
  inject(name, ['QueryCommand']);
  const res = await stack.call('GET', '/api/v1/users', { token: account.adminKey });
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('1');
  expect(res.json).toMatchObject({ status: 503, error: 'unavailable' });
});

test('throttled transaction on invite → 503, and a retry after recovery creates exactly one user', async () => {
  inject('ProvisionedThroughputExceededException', ['TransactWriteItemsCommand'], 1);
  const body = { email: 'retry@faulty.example', role: 'member' };
  const first = await stack.call('POST', '/api/v1/users', { token: account.adminKey, body });
  expect(first.status).toBe(503);
  const list = await stack.call('GET', '/api/v1/users', { token: account.adminKey });
  expect(list.json.items.filter((u: { email: string }) => u.email === body.email)).toHaveLength(0);
  const second = await stack.call('POST', '/api/v1/users', { token: account.adminKey, body });
  expect(second.status).toBe(201);
  const third = await stack.call('POST', '/api/v1/users', { token: account.adminKey, body });
  expect(third.status).toBe(409);
});

test('the authorizer throttled while verifying a key → 503 AUTHORIZER_FAILURE with Retry-After, SCIM error schema', async () => {
  inject('ThrottlingException', ['BatchGetItemCommand']);
  const res = await stack.call('GET', '/api/v1/users', { token: account.adminKey });
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('1');
  expect(res.json).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' });
});

test('a failed request leaves the service healthy: the same call succeeds once the fault clears', async () => {
  inject('TimeoutError', ['QueryCommand'], 1);
  expect((await stack.call('GET', '/api/v1/users', { token: account.adminKey })).status).toBe(503);
  expect((await stack.call('GET', '/api/v1/users', { token: account.adminKey })).status).toBe(200);
});
