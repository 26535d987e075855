// OIDC sign-in end to end: our real endpoints, a real oidc-provider on 127.0.0.1, a cookie-keeping client that fills the
// IdP's sign-in form — code + PKCE S256 + state + nonce, token exchange, ID token validation, JIT user, session.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SESSION_COOKIE, validateSession } from '../../../shared/auth/sessions.ts';
import { getIdp } from '../../../shared/db/idps.ts';
import { accountPk } from '../../../shared/db/keys.ts';
import { getUserItemByEmail } from '../../../shared/db/users.ts';
import { LOGIN_COOKIE } from '../../../shared/oidc/login-state.ts';
import { Browser, createOidcTestAccount, signInAtIdp, type OidcTestAccount } from '../../support/oidc-idp.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;
let acme: OidcTestAccount;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  stack = await startTestStack();
  acme = await createOidcTestAccount(stack, {
    provisioning: 'jit',
    domain: 'acme-oidc.example',
    users: [
      { email: 'ada@acme-oidc.example', password: PASSWORD, givenName: 'Ada', familyName: 'Lovelace' },
      { email: 'unverified@acme-oidc.example', password: PASSWORD, emailVerified: false },
      { email: 'eve@elsewhere.example', password: PASSWORD },
    ],
  });
}, 60_000);

afterAll(async () => {
  await acme?.idp.stop();
  await stack?.stop();
});

async function auditEvents(accountId: string, action: string) {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': 'AUDIT#' },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).filter((e) => e.action === action);
}

async function signIn(browser: Browser, email: string, query: Record<string, string> = {}) {
  const start = await browser.request('GET', acme.loginUrl(query));
  const form = await browser.navigate(start.location as string);
  // Stop once our callback has answered: where it sends the browser is what the tests check.
  const leavesCallback = (url: URL) => url.origin === stack.baseUrl && !acme.isCallback(url);
  return { start, final: await signInAtIdp(browser, form, { email, password: PASSWORD }, leavesCallback) };
}

describe('GET /sso/oidc/{idpId}/login', () => {
  test('redirects to the IdP with code + PKCE S256, state, nonce and our callback, and binds the state to the browser', async () => {
    const browser = new Browser();
    const start = await browser.request('GET', acme.loginUrl());
    expect(start.status).toBe(302);
    const authorize = new URL(start.location as string);
    expect(authorize.origin).toBe(acme.idp.issuer);
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: acme.clientId,
      redirect_uri: `${stack.baseUrl}/sso/oidc/${acme.idpId}/callback`,
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    expect(params.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(params.state?.length).toBeGreaterThanOrEqual(32);
    expect(params.nonce?.length).toBeGreaterThanOrEqual(32);
    const cookie = start.setCookies.find((c) => c.startsWith(`${LOGIN_COOKIE}=`));
    expect(cookie).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=600$/);
    // The verifier stays on our side: it is in the state item, not in the URL or the cookie.
    const items = await stack.db.doc.send(
      new QueryCommand({
        TableName: stack.db.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': accountPk(acme.accountId), ':sk': `OIDCSTATE#${params.state}` },
        ConsistentRead: true,
      }),
    );
    const item = items.Items?.[0];
    expect(item?.ttl).toBeGreaterThan(Date.now() / 1000 + 500);
    expect(item?.ttl).toBeLessThanOrEqual(Date.now() / 1000 + 601);
    expect(start.location).not.toContain(item?.codeVerifier);
    expect(cookie).not.toContain(item?.codeVerifier);
  });

  test('an unknown IdP id is a 404 page', async () => {
    const response = await new Browser().request('GET', `${stack.baseUrl}/sso/oidc/00000000-0000-7000-8000-000000000000/login`);
    expect(response.status).toBe(404);
    expect(response.text).toContain('This sign-in link is not valid');
  });
});

describe('sign-in through the IdP', () => {
  test('creates the user (JIT), starts a session and lands on the safe returnTo', async () => {
    const browser = new Browser();
    const { final } = await signIn(browser, 'ada@acme-oidc.example', { returnTo: '/settings?tab=1' });
    expect(final.status).toBe(302);
    expect(final.location).toBe(`${stack.baseUrl}/settings?tab=1`);
    expect(final.setCookies.some((c) => c.startsWith(`${LOGIN_COOKIE}=;`) && c.includes('Max-Age=0'))).toBe(true);
    const session = await validateSession(stack.db, browser.cookie(SESSION_COOKIE));
    expect(session?.user).toMatchObject({ email: 'ada@acme-oidc.example', source: 'jit', givenName: 'Ada', familyName: 'Lovelace' });
    expect(session?.session).toMatchObject({ accountId: acme.accountId, method: 'oidc', idpId: acme.idpId });
    const succeeded = await auditEvents(acme.accountId, 'login.succeeded');
    expect(succeeded.some((e) => e.target?.id === session?.user.id)).toBe(true);
  });

  test('a second sign-in finds the same user; test=1 marks the IdP as tested', async () => {
    const before = await getUserItemByEmail(stack.db, acme.accountId, 'ada@acme-oidc.example');
    const browser = new Browser();
    const { final } = await signIn(browser, 'ada@acme-oidc.example', { test: '1' });
    expect(final.location).toBe(`${stack.baseUrl}/me`);
    const session = await validateSession(stack.db, browser.cookie(SESSION_COOKIE));
    expect(session?.user.id).toBe(before?.id);
    expect((await getIdp(stack.db, acme.accountId, acme.idpId))?.testedAt).toBeDefined();
  });

  test('email_verified false is refused: no session, audited', async () => {
    const browser = new Browser();
    const { final } = await signIn(browser, 'unverified@acme-oidc.example');
    expect(final.status).toBe(403);
    expect(final.text).toContain('did not confirm your email address');
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
    const failed = await auditEvents(acme.accountId, 'login.failed');
    expect(failed.some((e) => e.reason === 'email_not_verified')).toBe(true);
  });

  test('an email outside the verified domains is refused in JIT mode', async () => {
    const browser = new Browser();
    const { final } = await signIn(browser, 'eve@elsewhere.example');
    expect(final.status).toBe(403);
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
    expect(await getUserItemByEmail(stack.db, acme.accountId, 'eve@elsewhere.example')).toBeUndefined();
  });
});
