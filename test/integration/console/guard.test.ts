// The console's guard over real HTTP: session and admin role, the Origin check and the session-bound CSRF token on every
// POST, and the security headers on every answer (pages, redirects, refusals).
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { SESSION_COOKIE } from '../../../shared/auth/sessions.ts';
import { getUserItemByEmail } from '../../../shared/db/users.ts';
import { signedInUser } from '../../support/browser.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

// Jest's 5 s default is tight for starting a stack on a busy shared machine.
jest.setTimeout(30_000);

let stack: TestStack;
let account: { id: string; adminKey: string };
let adminCookie: string;
let memberCookie: string;

beforeAll(async () => {
  stack = await startTestStack();
  account = await createTestAccount(stack, 'Guarded Co');
  adminCookie = (await signedInUser(stack.db, account.id, 'admin@guarded.example', 'admin')).cookie;
  memberCookie = (await signedInUser(stack.db, account.id, 'member@guarded.example', 'member')).cookie;
});

afterAll(async () => {
  await stack?.stop();
});

const cookieHeader = (value: string) => ({ Cookie: `${SESSION_COOKIE}=${value}` });

function expectSecurityHeaders(headers: Record<string, string | string[] | undefined>): void {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('same-origin');
}

async function csrfFrom(path: string): Promise<string> {
  const page = await stack.call('GET', path, { headers: cookieHeader(adminCookie) });
  const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}

test('no session: every console page redirects to the login page with returnTo', async () => {
  for (const path of ['/console', '/console/users?cursor=x', '/console/api-keys', '/console/ip-allowlist', '/console/audit']) {
    const result = await stack.call('GET', path);
    expect([path, result.status]).toEqual([path, 303]);
    const location = new URL(String(result.headers.location));
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('returnTo')).toBe(path);
    expectSecurityHeaders(result.headers);
  }
  const forged = await stack.call('GET', '/console/users', { headers: cookieHeader(`${adminCookie.slice(0, -4)}0000`) });
  expect(forged.status).toBe(303);
  // A form posted without a session goes to login, returning to the console's start (the POST path has no page).
  const posted = await stack.call('POST', '/console/users/x/active', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.baseUrl },
    body: 'active=false',
  });
  expect(posted.status).toBe(303);
  expect(new URL(String(posted.headers.location)).searchParams.get('returnTo')).toBe('/console');
});

test('a signed-in member gets 403, also on POST', async () => {
  const page = await stack.call('GET', '/console/users', { headers: cookieHeader(memberCookie) });
  expect(page.status).toBe(403);
  expect(page.text).toContain('Admins only');
  expect(page.text).not.toContain('Invite a user');
  expectSecurityHeaders(page.headers);
  const post = await stack.call('POST', '/console/users', {
    headers: { ...cookieHeader(memberCookie), 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.baseUrl },
    body: 'email=sneaky%40guarded.example',
  });
  expect(post.status).toBe(403);
  expect(await getUserItemByEmail(stack.db, account.id, 'sneaky@guarded.example')).toBeUndefined();
});

test('an admin sees the pages with strict headers and no inline script or style', async () => {
  for (const path of ['/console/users', '/console/api-keys', '/console/ip-allowlist', '/console/audit']) {
    const page = await stack.call('GET', path, { headers: cookieHeader(adminCookie) });
    expect([path, page.status]).toEqual([path, 200]);
    expectSecurityHeaders(page.headers);
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(page.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  }
  const home = await stack.call('GET', '/console', { headers: cookieHeader(adminCookie) });
  expect(home.status).toBe(303);
  expect(home.headers.location).toBe(`${stack.baseUrl}/console/users`);
  // Also on what the shared chain answers before the guard runs (a body it cannot parse).
  const unparsable = await stack.call('POST', '/console/users', {
    headers: { ...cookieHeader(adminCookie), 'Content-Type': 'application/json', Origin: stack.baseUrl },
    body: '{not json',
  });
  expect(unparsable.status).toBe(400);
  expectSecurityHeaders(unparsable.headers);
  const js = await stack.call('GET', '/console/assets/console.js');
  expect([js.status, js.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
  expectSecurityHeaders(js.headers);
  const missing = await stack.call('GET', '/console/assets/other.js');
  expect(missing.status).toBe(404);
  expectSecurityHeaders(missing.headers);
});

test('POST without the CSRF token, with a wrong one, from another origin or as JSON is refused and changes nothing', async () => {
  const token = await csrfFrom('/console/users');
  const form = 'application/x-www-form-urlencoded';
  const attempts: { name: string; headers: Record<string, string>; body: string }[] = [
    { name: 'no token', headers: { 'Content-Type': form, Origin: stack.baseUrl }, body: 'email=a%40guarded.example' },
    { name: 'wrong token', headers: { 'Content-Type': form, Origin: stack.baseUrl }, body: `email=b%40guarded.example&_csrf=${token.slice(0, -2)}AA` },
    { name: 'other session token', headers: { 'Content-Type': form, Origin: stack.baseUrl }, body: `email=c%40guarded.example&_csrf=${'A'.repeat(43)}` },
    { name: 'evil origin', headers: { 'Content-Type': form, Origin: 'http://evil.example' }, body: `email=d%40guarded.example&_csrf=${token}` },
    { name: 'null origin', headers: { 'Content-Type': form, Origin: 'null' }, body: `email=e%40guarded.example&_csrf=${token}` },
    { name: 'no origin', headers: { 'Content-Type': form }, body: `email=f%40guarded.example&_csrf=${token}` },
    {
      name: 'json',
      headers: { 'Content-Type': 'application/json', Origin: stack.baseUrl },
      body: JSON.stringify({ email: 'g@guarded.example', _csrf: token }),
    },
  ];
  for (const attempt of attempts) {
    const result = await stack.call('POST', '/console/users', { headers: { ...cookieHeader(adminCookie), ...attempt.headers }, body: attempt.body });
    expect([attempt.name, result.status]).toEqual([attempt.name, 403]);
    expectSecurityHeaders(result.headers);
  }
  for (const letter of 'abcdefg') {
    expect(await getUserItemByEmail(stack.db, account.id, `${letter}@guarded.example`)).toBeUndefined();
  }
  // The same request with the token and our origin goes through: the refusals above were the checks, not the form.
  const ok = await stack.call('POST', '/console/users', {
    headers: { ...cookieHeader(adminCookie), 'Content-Type': form, Origin: stack.baseUrl },
    body: `email=h%40guarded.example&role=member&_csrf=${token}`,
  });
  expect(ok.status).toBe(303);
  expect(await getUserItemByEmail(stack.db, account.id, 'h@guarded.example')).toMatchObject({ source: 'invite', role: 'member' });
});

test("the CSRF token is bound to the session: another admin's token is refused", async () => {
  const other = await signedInUser(stack.db, account.id, 'admin2@guarded.example', 'admin');
  const otherPage = await stack.call('GET', '/console/users', { headers: cookieHeader(other.cookie) });
  const otherToken = /name="_csrf" value="([^"]+)"/.exec(otherPage.text)?.[1] ?? '';
  expect(otherToken).not.toBe(await csrfFrom('/console/users'));
  const result = await stack.call('POST', '/console/users', {
    headers: { ...cookieHeader(adminCookie), 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.baseUrl },
    body: `email=i%40guarded.example&_csrf=${otherToken}`,
  });
  expect(result.status).toBe(403);
  expect(await getUserItemByEmail(stack.db, account.id, 'i@guarded.example')).toBeUndefined();
});
