// The browser surface over real HTTP: the login page's discovery, password sign-in (mixed mode only, same answer for
// unknown user and wrong password, same-origin only), the session cookie, /me and logout.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { completeLogin } from '../../../shared/auth/complete-login.ts';
import type { AuditEvent } from '../../../shared/db/audit.ts';
import { addDomain, markDomainVerified } from '../../../shared/db/domains.ts';
import { getIdp } from '../../../shared/db/idps.ts';
import { createUser } from '../../../shared/db/users.ts';
import { hashPassword } from '../../../shared/sso/password.ts';
import { createTestAccount, startTestStack, type CallResult, type TestStack } from '../../support/stack.ts';

// Under load (several engineers' test runs share two cores) set-up takes longer than Jest's 5 s default.
jest.setTimeout(60_000);

const cert = readFileSync(new URL('../../fixtures/sso/idp-cert-1.pem', import.meta.url), 'utf8');
const PASSWORD = 'correct horse battery staple';
let stack: TestStack;
let mixed: { id: string; adminKey: string };
let enforced: { id: string; adminKey: string };
const ids: Record<string, string> = {};

const system = (accountId: string, action: string): AuditEvent => ({
  accountId,
  action,
  actor: { type: 'system', id: 'test' },
  outcome: 'success',
});

async function verifiedDomain(accountId: string, domain: string) {
  await addDomain(stack.db, accountId, domain);
  await markDomainVerified(stack.db, accountId, domain, system(accountId, 'domain.verified'));
}

async function addIdp(token: string, description: string): Promise<string> {
  const result = await stack.call('POST', '/api/v1/idps', {
    token,
    body: { type: 'saml', description, entityId: `https://idp.example/${description}`, ssoUrl: 'https://idp.example/sso', certificate: cert },
  });
  return result.json.id;
}

async function passwordUser(accountId: string, email: string, options: { password?: boolean; active?: boolean } = {}) {
  const user = await createUser(
    stack.db,
    accountId,
    {
      email,
      role: 'admin',
      source: 'invite',
      active: options.active ?? true,
      ...(options.password === false ? {} : { passwordHash: await hashPassword(PASSWORD) }),
    },
    system(accountId, 'user.invited'),
  );
  return user.id;
}

beforeAll(async () => {
  stack = await startTestStack();
  mixed = await createTestAccount(stack, 'Mixed Co');
  enforced = await createTestAccount(stack, 'Enforced Co');
  await verifiedDomain(mixed.id, 'mixed.example');
  await verifiedDomain(enforced.id, 'enforced.example');
  ids.okta = await addIdp(mixed.adminKey, 'Okta');
  ids.pw = await passwordUser(mixed.id, 'pat@mixed.example');
  ids.nopw = await passwordUser(mixed.id, 'sso-only@mixed.example', { password: false });
  ids.disabled = await passwordUser(mixed.id, 'gone@mixed.example', { active: false });
  ids.enforcedIdp = await addIdp(enforced.adminKey, 'Entra');
  ids.enforcedUser = await passwordUser(enforced.id, 'old@enforced.example');
  const idp = await getIdp(stack.db, enforced.id, ids.enforcedIdp);
  if (!idp) throw new Error('no idp');
  await completeLogin(stack.db, { idp, sourceIp: '127.0.0.1', test: true }, { email: 'old@enforced.example', emailVerified: true });
  const patch = await stack.call('PATCH', '/api/v1/account', { token: enforced.adminKey, body: { enforcement: 'enforced' } });
  if (patch.status !== 200) throw new Error(`enforce failed: ${patch.text}`);
});

afterAll(async () => {
  await stack?.stop();
});

const loginPage = (query: string) => stack.call('GET', `/login${query}`);
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const postPassword = (fields: Record<string, string>, headers: Record<string, string> = { Origin: stack.baseUrl }) =>
  stack.call('POST', '/login/password', {
    body: form(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });
const setCookies = (result: CallResult): string[] => (result.headers['set-cookie'] as string[] | undefined) ?? [];
const cookieHeader = (result: CallResult): string => (setCookies(result)[0] ?? '').split(';')[0] as string;

async function audit(token: string, type: string) {
  return (await stack.call('GET', `/api/v1/audit-events?type=${type}`, { token })).json.items as {
    action: string;
    outcome: string;
    reason?: string;
    actor: { id: string };
  }[];
}

describe('GET /login', () => {
  test('an email form, with a strict Content-Security-Policy and no caching', async () => {
    const page = await loginPage('');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; frame-ancestors 'none'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain(`<form method="get" action="${stack.baseUrl}/login">`);
    expect(page.text).toContain('name="email"');
    expect(page.text).not.toContain('<script');
  });

  test('?email= pre-fills; an unknown domain gets a neutral message, not an error', async () => {
    const page = await loginPage('?email=someone%40unknown.example');
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="someone@unknown.example"');
    expect(page.text).toContain('We could not find a way to sign you in with this email address');
  });

  test('everything from the query is escaped', async () => {
    const page = await loginPage(`?email=${encodeURIComponent('"><script>alert(1)</script>@mixed.example')}`);
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('&#34;&#62;&#60;script&#62;');
  });

  test('one IdP: shown, linking to its login with a safe returnTo; no password form for an SSO-only user', async () => {
    const page = await loginPage('?email=sso-only%40mixed.example&returnTo=%2Fdashboard%3Ftab%3D1');
    expect(page.text).toContain(`href="${stack.baseUrl}/sso/saml/${ids.okta}/login?returnTo=%2Fdashboard%3Ftab%3D1"`);
    expect(page.text).toContain('Continue with Okta');
    expect(page.text).not.toContain('type="password"');
  });

  test('an absolute returnTo is dropped', async () => {
    const page = await loginPage('?email=sso-only%40mixed.example&returnTo=https%3A%2F%2Fevil.example%2F');
    expect(page.text).toContain(`href="${stack.baseUrl}/sso/saml/${ids.okta}/login"`);
    expect(page.text).not.toContain('evil.example');
  });

  test('mixed mode, a user with a password: the IdP and a password form', async () => {
    const page = await loginPage('?email=PAT%40Mixed.example');
    expect(page.text).toContain('Continue with Okta');
    expect(page.text).toContain(`<form method="post" action="${stack.baseUrl}/login/password">`);
    expect(page.text).toContain('type="password"');
  });

  test('several IdPs: a choice by description', async () => {
    const second = await addIdp(mixed.adminKey, 'Azure AD');
    const page = await loginPage('?email=sso-only%40mixed.example');
    expect(page.text).toContain('Choose how to sign in');
    expect(page.text.indexOf('Continue with Azure AD')).toBeLessThan(page.text.indexOf('Continue with Okta'));
    expect(page.text).toContain(`/sso/saml/${second}/login`);
    expect((await stack.call('DELETE', `/api/v1/idps/${second}`, { token: mixed.adminKey })).status).toBe(204);
  });

  test('SSO enforced: no password form even for a user who has a password', async () => {
    const page = await loginPage('?email=old%40enforced.example');
    expect(page.text).toContain('Continue with Entra');
    expect(page.text).not.toContain('type="password"');
  });
});

describe('POST /login/password, GET /me, POST /logout', () => {
  test('success: 303 to returnTo with a __Host- HttpOnly Secure SameSite=Lax cookie; /me answers who', async () => {
    const result = await postPassword({ email: 'pat@mixed.example', password: PASSWORD, returnTo: '/settings' });
    expect(result.status).toBe(303);
    expect(result.headers.location).toBe('/settings');
    const [cookie] = setCookies(result);
    expect(cookie).toMatch(/^__Host-session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=\d+$/);
    const me = await stack.call('GET', '/me', { headers: { Cookie: cookieHeader(result) } });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ userId: ids.pw, email: 'pat@mixed.example', accountId: mixed.id, role: 'admin' });
    const events = await audit(mixed.adminKey, 'login.succeeded');
    expect(events[0]).toMatchObject({ outcome: 'success', actor: { id: ids.pw } });
  });

  test('an unsafe returnTo falls back to /me', async () => {
    const result = await postPassword({ email: 'pat@mixed.example', password: PASSWORD, returnTo: '//evil.example/x' });
    expect(result.status).toBe(303);
    expect(result.headers.location).toBe('/me');
  });

  test('wrong password, unknown user, user without a password, unknown domain: one message, 401, no cookie', async () => {
    const attempts = [
      { email: 'pat@mixed.example', password: 'wrong' },
      { email: 'nobody@mixed.example', password: PASSWORD },
      { email: 'sso-only@mixed.example', password: PASSWORD },
      { email: 'pat@unknown.example', password: PASSWORD },
    ];
    for (const fields of attempts) {
      const result = await postPassword(fields);
      expect([fields.email, result.status]).toEqual([fields.email, 401]);
      expect(result.text).toContain('The email address or password is not correct.');
      expect(setCookies(result)).toEqual([]);
    }
    const reasons = (await audit(mixed.adminKey, 'login.failed')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['wrong_password', 'unknown_user', 'no_password']));
  });

  test('a disabled user is refused even with the right password', async () => {
    const result = await postPassword({ email: 'gone@mixed.example', password: PASSWORD });
    expect(result.status).toBe(403);
    expect(result.text).toContain('Your account is disabled');
    expect(setCookies(result)).toEqual([]);
  });

  test('SSO enforced: the right password is refused with a page that says so; audited', async () => {
    const result = await postPassword({ email: 'old@enforced.example', password: PASSWORD });
    expect(result.status).toBe(403);
    expect(result.text).toContain('Your organisation requires single sign-on');
    expect(setCookies(result)).toEqual([]);
    const events = await audit(enforced.adminKey, 'login.failed');
    expect(events[0]).toMatchObject({ outcome: 'failure', reason: 'sso_enforced', actor: { id: ids.enforcedUser } });
  });

  test('cross-site posts are refused: no Origin, a foreign Origin, Sec-Fetch-Site cross-site', async () => {
    const fields = { email: 'pat@mixed.example', password: PASSWORD };
    const crossSite: Record<string, string>[] = [{}, { Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }];
    for (const headers of crossSite) {
      const result = await postPassword(fields, headers);
      expect([JSON.stringify(headers), result.status]).toEqual([JSON.stringify(headers), 403]);
      expect(setCookies(result)).toEqual([]);
    }
    const noOriginButSameSite = await postPassword(fields, { 'Sec-Fetch-Site': 'same-origin' });
    expect(noOriginButSameSite.status).toBe(303);
  });

  test('missing fields are a 400 page, not a 500', async () => {
    const result = await postPassword({ email: 'pat@mixed.example' });
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  test('/me without a session, or with a forged one, is 401 JSON', async () => {
    const none = await stack.call('GET', '/me');
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ status: 401, error: 'unauthenticated' });
    const forged = `__Host-session=${mixed.id}.${ids.pw}.${'0'.repeat(32)}.${'0'.repeat(64)}`;
    expect((await stack.call('GET', '/me', { headers: { Cookie: forged } })).status).toBe(401);
  });

  test('logout: cross-site refused; same-origin deletes the session, clears the cookie, 303 to /login', async () => {
    const login = await postPassword({ email: 'pat@mixed.example', password: PASSWORD });
    const cookie = cookieHeader(login);
    const crossSite = await stack.call('POST', '/logout', { headers: { Cookie: cookie, Origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect((await stack.call('GET', '/me', { headers: { Cookie: cookie } })).status).toBe(200);

    const out = await stack.call('POST', '/logout', { headers: { Cookie: cookie, Origin: stack.baseUrl } });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(`${stack.baseUrl}/login`);
    expect(setCookies(out)).toEqual(['__Host-session=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0']);
    expect((await stack.call('GET', '/me', { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await audit(mixed.adminKey, 'logout'))[0]).toMatchObject({ actor: { id: ids.pw } });
  });

  test('disabling the user ends their session', async () => {
    const login = await postPassword({ email: 'pat@mixed.example', password: PASSWORD });
    const cookie = cookieHeader(login);
    expect((await stack.call('GET', '/me', { headers: { Cookie: cookie } })).status).toBe(200);
    await stack.call('PATCH', `/api/v1/users/${ids.pw}`, { token: mixed.adminKey, body: { active: false } });
    expect((await stack.call('GET', '/me', { headers: { Cookie: cookie } })).status).toBe(401);
    await stack.call('PATCH', `/api/v1/users/${ids.pw}`, { token: mixed.adminKey, body: { active: true } });
  });

  test('a session of account A does not read as anyone in account B', async () => {
    const login = await postPassword({ email: 'pat@mixed.example', password: PASSWORD });
    const [, value] = cookieHeader(login).split('=') as [string, string];
    const [, userId, sessionId, secret] = value.split('.');
    const swapped = `__Host-session=${enforced.id}.${userId}.${sessionId}.${secret}`;
    expect((await stack.call('GET', '/me', { headers: { Cookie: swapped } })).status).toBe(401);
  });
});
