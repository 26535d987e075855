// IP allowlists, enforced by the authorizer on the connection's source address (loopback aliases stand in for clients).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;
let account: { id: string; adminKey: string };

beforeAll(async () => {
  stack = await startTestStack();
  account = await createTestAccount(stack, 'Fenced Co');
});

afterAll(async () => {
  await stack?.stop();
});

test('an allowlist admits only its addresses; X-Forwarded-For is ignored', async () => {
  const put = await stack.call('PUT', '/api/v1/account/ip-allowlist', {
    token: account.adminKey,
    body: { cidrs: ['127.0.0.2/32', '2001:db8::/32'] },
  });
  expect(put.status).toBe(200);
  expect(put.json).toEqual({ cidrs: ['127.0.0.2/32', '2001:db8::/32'], callerAllowed: false });

  const outside = await stack.call('GET', '/api/v1/account', { token: account.adminKey, localAddress: '127.0.0.1' });
  expect(outside.status).toBe(403);
  const spoofed = await stack.call('GET', '/api/v1/account', {
    token: account.adminKey,
    localAddress: '127.0.0.1',
    headers: { 'X-Forwarded-For': '127.0.0.2' },
  });
  expect(spoofed.status).toBe(403);
  const inside = await stack.call('GET', '/api/v1/account', { token: account.adminKey, localAddress: '127.0.0.2' });
  expect(inside.status).toBe(200);

  const read = await stack.call('GET', '/api/v1/account/ip-allowlist', { token: account.adminKey, localAddress: '127.0.0.2' });
  expect(read.json.cidrs).toEqual(['127.0.0.2/32', '2001:db8::/32']);

  const cleared = await stack.call('PUT', '/api/v1/account/ip-allowlist', {
    token: account.adminKey,
    localAddress: '127.0.0.2',
    body: { cidrs: [] },
  });
  expect(cleared.json.callerAllowed).toBe(true);
  expect((await stack.call('GET', '/api/v1/account', { token: account.adminKey, localAddress: '127.0.0.1' })).status).toBe(200);
});

test('invalid CIDRs are refused and the list is unchanged', async () => {
  for (const cidrs of [['10.0.0.0/33'], ['not-an-ip'], ['2001:db8::/129'], ['10.0.0.1/8/1'], ['10.0.0.0/-1']]) {
    const result = await stack.call('PUT', '/api/v1/account/ip-allowlist', { token: account.adminKey, body: { cidrs } });
    expect(result.status).toBe(400);
  }
  const read = await stack.call('GET', '/api/v1/account/ip-allowlist', { token: account.adminKey });
  expect(read.json.cidrs).toEqual([]);
});
