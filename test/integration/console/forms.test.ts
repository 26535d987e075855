// Console forms over real HTTP, for the refusals a browser test would not reach easily: a stale allowlist version,
// disabling yourself, revoking an unknown key, enabling SCIM without an IdP. Each refusal changes nothing.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { SESSION_COOKIE } from '../../../shared/auth/sessions.ts';
import { getAccount } from '../../../shared/db/accounts.ts';
import { listApiKeys } from '../../../shared/db/api-keys.ts';
import { getUser, type User } from '../../../shared/db/users.ts';
import { signedInUser } from '../../support/browser.ts';
import { createTestAccount, startTestStack, type CallResult, type TestStack } from '../../support/stack.ts';

// Jest's 5 s default is tight for starting a stack on a busy shared machine.
jest.setTimeout(30_000);

let stack: TestStack;
let account: { id: string; adminKey: string };
let admin: { user: User; cookie: string };
let csrf: string;

beforeAll(async () => {
  stack = await startTestStack();
  account = await createTestAccount(stack, 'Forms Co');
  admin = await signedInUser(stack.db, account.id, 'admin@forms.example', 'admin');
  const page = await stack.call('GET', '/console/ip-allowlist', { headers: { Cookie: `${SESSION_COOKIE}=${admin.cookie}` } });
  csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
});

afterAll(async () => {
  await stack?.stop();
});

function post(path: string, fields: Record<string, string>): Promise<CallResult> {
  return stack.call('POST', path, {
    headers: {
      Cookie: `${SESSION_COOKIE}=${admin.cookie}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: stack.baseUrl,
    },
    body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
  });
}

test('an allowlist saved from a stale page is refused (409) and the newer list kept', async () => {
  const before = await getAccount(stack.db, account.id);
  const put = await stack.call('PUT', '/api/v1/account/ip-allowlist', { token: account.adminKey, body: { cidrs: ['127.0.0.0/8'] } });
  expect(put.status).toBe(200);
  const stale = await post('/console/ip-allowlist', { cidrs: '127.0.0.1/32', version: String(before?.version) });
  expect(stale.status).toBe(409);
  expect(stale.text).toContain('Someone changed the account settings');
  // The page re-read the account: its form now carries the current version.
  const current = await getAccount(stack.db, account.id);
  expect(current?.ipAllowlist).toEqual(['127.0.0.0/8']);
  expect(stale.text).toContain(`name="version" value="${current?.version}"`);
  const fresh = await post('/console/ip-allowlist', { cidrs: '127.0.0.1/32', version: String(current?.version) });
  expect(fresh.status).toBe(303);
  expect((await getAccount(stack.db, account.id))?.ipAllowlist).toEqual(['127.0.0.1/32']);
});

test('an admin cannot disable themselves from the console', async () => {
  const result = await post(`/console/users/${admin.user.id}/active`, { active: 'false' });
  expect(result.status).toBe(400);
  expect(result.text).toContain('You cannot disable yourself');
  expect((await getUser(stack.db, account.id, admin.user.id))?.active).toBe(true);
});

test('revoking an unknown key answers 404 on the page', async () => {
  const result = await post('/console/api-keys/0123456789abcdef/revoke', {});
  expect(result.status).toBe(404);
  expect(result.text).toContain('No such key');
});

test('Enable SCIM without an identity provider is refused and mints nothing', async () => {
  const result = await post('/console/scim', {});
  expect(result.status).toBe(409);
  expect(result.text).toContain('Add an identity provider before enabling SCIM');
  const keys = await listApiKeys(stack.db, account.id, { limit: 100 });
  expect(keys.items.filter((k) => k.scopes.includes('scim'))).toEqual([]);
});

test('an invalid invitation re-renders the form with the problem', async () => {
  const result = await post('/console/users', { email: 'not-an-email', role: 'member' });
  expect(result.status).toBe(400);
  expect(result.text).toContain('email: must be an email address');
  expect(result.text).toContain('value="not-an-email"');
});

test("another account's user cannot be touched: the console only ever acts in the session's account", async () => {
  const other = await createTestAccount(stack, 'Elsewhere Inc');
  const stranger = await signedInUser(stack.db, other.id, 'someone@elsewhere.example', 'member');
  const result = await post(`/console/users/${stranger.user.id}/active`, { active: 'false' });
  expect(result.status).toBe(404);
  expect((await getUser(stack.db, other.id, stranger.user.id))?.active).toBe(true);
});

test('a disabled admin is signed out of the console at once', async () => {
  const gone = await signedInUser(stack.db, account.id, 'leaver@forms.example', 'admin');
  const cookie = { Cookie: `${SESSION_COOKIE}=${gone.cookie}` };
  expect((await stack.call('GET', '/console/users', { headers: cookie })).status).toBe(200);
  const disable = await post(`/console/users/${gone.user.id}/active`, { active: 'false' });
  expect(disable.status).toBe(303);
  const after = await stack.call('GET', '/console/users', { headers: cookie });
  expect(after.status).toBe(303);
  expect(new URL(String(after.headers.location)).pathname).toBe('/login');
});
