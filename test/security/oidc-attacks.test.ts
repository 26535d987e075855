// Attacks on the OIDC relying party (issue 6), each against our real endpoints and a real oidc-provider: forged,
// replayed and mixed-up callbacks, login CSRF, and ID tokens that are validly signed by the IdP's own key but wrong in
// one claim (so only that check can be what refuses them), unsigned, HMAC-signed with the client secret, or signed by
// another key. Every one is refused with a page, audited with the failed check, and creates no session.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SESSION_COOKIE, validateSession } from '../../shared/auth/sessions.ts';
import type { AuditEvent } from '../../shared/db/audit.ts';
import { idpSecretContext, sealSecret } from '../../shared/auth/secret-box.ts';
import { createIdp, updateIdp } from '../../shared/db/idps.ts';
import { accountPk } from '../../shared/db/keys.ts';
import { newId } from '../../shared/ids.ts';
import { LOGIN_COOKIE } from '../../shared/oidc/login-state.ts';
import { oidcIdpFromInput } from '../../shared/oidc/idp-config.ts';
import {
  Browser,
  createOidcTestAccount,
  generateSigningJwk,
  signHs256,
  signInAtIdp,
  signRs256,
  unsigned,
  type BrowserResponse,
  type JwtParts,
  type OidcTestAccount,
} from '../support/oidc-idp.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let acme: OidcTestAccount;
/** A second IdP of the same account: another client of the same provider. */
let secondIdpId: string;
const PASSWORD = 'hunter2-but-longer';
const USER = 'grace@acme-attack.example';

beforeAll(async () => {
  stack = await startTestStack();
  secondIdpId = newId();
  acme = await createOidcTestAccount(stack, {
    provisioning: 'jit',
    domain: 'acme-attack.example',
    users: [{ email: USER, password: PASSWORD, givenName: 'Grace' }],
    extraClients: [
      { clientId: 'second-rp', clientSecret: 'second-secret-value', redirectUris: [`${stack.baseUrl}/sso/oidc/${secondIdpId}/callback`] },
    ],
  });
  const config = await oidcIdpFromInput(
    { issuer: acme.idp.issuer, clientId: 'second-rp', clientSecret: 'second-secret-value' },
    { accountId: acme.accountId, idpId: secondIdpId },
  );
  const audit: AuditEvent = { accountId: acme.accountId, action: 'idp.created', actor: { type: 'system', id: 'test' }, outcome: 'success' };
  await createIdp(stack.db, acme.accountId, { id: secondIdpId, description: 'Second', ...config }, audit);
  await createIdp(
    stack.db,
    acme.accountId,
    { description: 'A SAML IdP', type: 'saml', entityId: 'urn:x', ssoUrl: 'https://idp.example/sso', certificates: [], allowIdpInitiated: false },
    audit,
  );
}, 60_000);

afterEach(() => {
  acme.idp.forgeIdToken = undefined;
});

afterAll(async () => {
  await acme?.idp.stop();
  await stack?.stop();
});

async function partition(prefix: string) {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(acme.accountId), ':prefix': prefix },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

/** Signs in at the IdP and stops where the IdP sends the browser back to us: the callback URL, not yet requested. */
async function callbackUrl(browser: Browser, query: Record<string, string> = {}, loginUrl = acme.loginUrl(query)): Promise<URL> {
  const start = await browser.request('GET', loginUrl);
  expect(start.status).toBe(302);
  const ours = (url: URL) => url.origin === stack.baseUrl;
  const form = await browser.navigate(start.location as string, { stopBefore: ours });
  // With a live session at the IdP there is no form: it sends the browser straight back.
  const back = form.location ? form : await signInAtIdp(browser, form, { email: USER, password: PASSWORD }, ours);
  expect(back.location).toBeDefined();
  return new URL(back.location as string);
}

/** Refused with a page, no session cookie, no new session item, and a login.failed event naming the check. */
async function expectRefused(run: () => Promise<BrowserResponse>, check: string, status = 403): Promise<Record<string, unknown>> {
  const sessionsBefore = (await partition('SESSION#')).length;
  const auditBefore = new Set((await partition('AUDIT#')).map((e) => e.sk));
  const response = await run();
  expect(response.status).toBe(status);
  expect(response.text).toContain('We could not sign you in');
  expect(response.setCookies.some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
  expect((await partition('SESSION#')).length).toBe(sessionsBefore);
  const events = (await partition('AUDIT#')).filter((e) => !auditBefore.has(e.sk));
  const failed = events.find((e) => e.action === 'login.failed');
  expect(failed?.details).toMatchObject({ protocol: 'oidc', check });
  expect(events.some((e) => e.action === 'login.succeeded')).toBe(false);
  return failed?.details as Record<string, unknown>;
}

const withParams = (url: URL, change: (params: URLSearchParams) => void): string => {
  const copy = new URL(url);
  change(copy.searchParams);
  return copy.href;
};

describe('state and browser binding', () => {
  test('a callback without state is refused', async () => {
    const browser = new Browser();
    const url = await callbackUrl(browser);
    await expectRefused(() => browser.request('GET', withParams(url, (p) => p.delete('state'))), 'state_missing');
  });

  test('a callback with a state we never issued is refused', async () => {
    const browser = new Browser();
    const url = await callbackUrl(browser);
    await expectRefused(() => browser.request('GET', withParams(url, (p) => p.set('state', 'x'.repeat(43)))), 'state_unknown');
  });

  test('a callback replayed after a successful login is refused, even with the old binding cookie', async () => {
    const browser = new Browser();
    const url = await callbackUrl(browser);
    const binding = browser.cookie(LOGIN_COOKIE) as string;
    const first = await browser.request('GET', url.href);
    expect(first.status).toBe(302);
    expect(await validateSession(stack.db, browser.cookie(SESSION_COOKIE))).toBeDefined();
    const replayer = new Browser();
    replayer.setCookie(LOGIN_COOKIE, binding);
    await expectRefused(() => replayer.request('GET', url.href), 'state_unknown');
  });

  test('a callback in a browser without the state cookie is refused (and burns the state)', async () => {
    const browser = new Browser();
    const url = await callbackUrl(browser);
    browser.dropCookie(LOGIN_COOKIE);
    await expectRefused(() => browser.request('GET', url.href), 'state_cookie_missing');
  });

  test('login CSRF: the attacker’s callback URL opened in the victim’s browser (with its own login cookie) is refused', async () => {
    const attacker = new Browser();
    const attackersCallback = await callbackUrl(attacker);
    const victim = new Browser();
    const victimStart = await victim.request('GET', acme.loginUrl());
    expect(victimStart.status).toBe(302);
    expect(victim.cookie(LOGIN_COOKIE)).toBeDefined();
    await expectRefused(() => victim.request('GET', attackersCallback.href), 'state_cookie_mismatch');
    expect(victim.cookie(SESSION_COOKIE)).toBeUndefined();
    // And the attacker cannot use it afterwards either: the state was consumed.
    await expectRefused(() => attacker.request('GET', attackersCallback.href), 'state_unknown');
  });

  test('state mixed up between two IdPs of the account: A’s state delivered to B’s callback is refused', async () => {
    const browser = new Browser();
    const url = await callbackUrl(browser);
    const mixed = new URL(url.href.replace(`/sso/oidc/${acme.idpId}/`, `/sso/oidc/${secondIdpId}/`));
    await expectRefused(() => browser.request('GET', mixed.href), 'state_idp_mismatch');
  });

  test('an authorization code replayed with a fresh state of the same browser is refused by the token exchange', async () => {
    const browser = new Browser();
    const first = await callbackUrl(browser);
    expect((await browser.request('GET', first.href)).status).toBe(302);
    const second = await callbackUrl(browser);
    const replay = withParams(second, (p) => p.set('code', first.searchParams.get('code') as string));
    const details = await expectRefused(() => browser.request('GET', replay), 'token_exchange_failed');
    expect(details.error).toBe('invalid_grant');
  });

  test('mix-up: an authorization response naming another issuer (RFC 9207 iss) is refused', async () => {
    const browser = new Browser();
    const url = await callbackUrl(browser);
    expect(url.searchParams.get('iss')).toBe(acme.idp.issuer);
    await expectRefused(() => browser.request('GET', withParams(url, (p) => p.set('iss', 'https://evil.example'))), 'issuer_mismatch');
  });

  test('a missing code is refused', async () => {
    const browser = new Browser();
    const url = await callbackUrl(browser);
    await expectRefused(() => browser.request('GET', withParams(url, (p) => p.delete('code'))), 'code_missing');
  });
});

describe('IdP error responses', () => {
  test.each(['access_denied', 'login_required', 'server_error', 'weird <script>'])('error=%s is a refusal page, audited', async (error) => {
    const browser = new Browser();
    const start = await browser.request('GET', acme.loginUrl());
    const state = new URL(start.location as string).searchParams.get('state') as string;
    const url = `${stack.baseUrl}/sso/oidc/${acme.idpId}/callback?error=${encodeURIComponent(error)}&error_description=nope&state=${state}`;
    const details = await expectRefused(() => browser.request('GET', url), 'idp_error');
    expect(details.error).toMatch(/^[\w.-]+$/);
    // The state is gone: the same login cannot be resumed with a code afterwards.
    await expectRefused(() => browser.request('GET', `${stack.baseUrl}/sso/oidc/${acme.idpId}/callback?code=abc&state=${state}`), 'state_unknown');
  });
});

describe('ID tokens the IdP did not mean for us', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, (genuine: JwtParts) => string, Record<string, unknown>][] = [
    ['another nonce', (g) => signRs256({ ...g, claims: { ...g.claims, nonce: 'attacker-nonce' } }, acme.idp.signingKey), { claim: 'nonce' }],
    ['another issuer', (g) => signRs256({ ...g, claims: { ...g.claims, iss: 'https://evil.example' } }, acme.idp.signingKey), { claim: 'iss' }],
    ['another client (aud)', (g) => signRs256({ ...g, claims: { ...g.claims, aud: 'second-rp' } }, acme.idp.signingKey), { claim: 'aud' }],
    [
      'expired',
      (g) => signRs256({ ...g, claims: { ...g.claims, iat: now() - 7200, exp: now() - 3600 } }, acme.idp.signingKey),
      { error: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' },
    ],
    ['alg none', (g) => unsigned(g), {}],
    ['HS256 keyed with the client secret', (g) => signHs256(g, acme.clientSecret), {}],
    ['signed by another key under the IdP’s kid', (g) => signRs256(g, { ...generateSigningJwk(), kid: acme.idp.signingKey.kid }), {}],
    ['signed by an unknown key', (g) => signRs256(g, generateSigningJwk()), {}],
  ];

  test('control: the same flow with the genuine token, re-signed by the IdP’s key, signs in', async () => {
    acme.idp.forgeIdToken = (g) => signRs256(g, acme.idp.signingKey);
    const browser = new Browser();
    const url = await callbackUrl(browser);
    const response = await browser.request('GET', url.href);
    expect(response.status).toBe(302);
    expect(await validateSession(stack.db, browser.cookie(SESSION_COOKIE))).toBeDefined();
  });

  test.each(cases)('%s is refused', async (_name, forge, expected) => {
    acme.idp.forgeIdToken = forge;
    const browser = new Browser();
    const url = await callbackUrl(browser);
    const details = await expectRefused(() => browser.request('GET', url.href), 'id_token_invalid');
    expect(details).toMatchObject(expected);
  });
});

describe('redirects and unknown IdPs', () => {
  test.each(['https://evil.example/x', '//evil.example/x', '/\\evil.example', '/%2Fevil.example', 'javascript:alert(1)'])(
    'returnTo %s is ignored: the user lands on /me',
    async (returnTo) => {
      const browser = new Browser();
      const url = await callbackUrl(browser, { returnTo });
      const response = await browser.request('GET', url.href);
      expect(response.status).toBe(302);
      expect(response.location).toBe(`${stack.baseUrl}/me`);
    },
  );

  test.each([
    ['an unknown IdP id', '00000000-0000-7000-8000-000000000000'],
    ['a malformed IdP id', 'x'.repeat(80)],
  ])('%s is a 404 page on login and callback', async (_name, idpId) => {
    for (const step of ['login', 'callback?code=a&state=b']) {
      const response = await new Browser().request('GET', `${stack.baseUrl}/sso/oidc/${idpId}/${step}`);
      expect(response.status).toBe(404);
      expect(response.text).toContain('This sign-in link is not valid');
    }
  });

  test('a SAML IdP id is a 404 page on the OIDC routes', async () => {
    const saml = (await partition('IDP#')).find((i) => i.type === 'saml');
    const response = await new Browser().request('GET', `${stack.baseUrl}/sso/oidc/${saml?.id as string}/login`);
    expect(response.status).toBe(404);
  });
});

describe('our own misconfiguration', () => {
  test('a client secret sealed for another IdP does not open there: refusal page (502), audited, never a 500', async () => {
    const foreign = await sealSecret('second-secret-value', idpSecretContext(acme.accountId, acme.idpId));
    const audit: AuditEvent = { accountId: acme.accountId, action: 'idp.updated', actor: { type: 'system', id: 'test' }, outcome: 'success' };
    await updateIdp(stack.db, acme.accountId, secondIdpId, { clientSecretEncrypted: foreign }, audit);
    const browser = new Browser();
    const url = await callbackUrl(browser, {}, `${stack.baseUrl}/sso/oidc/${secondIdpId}/login`);
    await expectRefused(() => browser.request('GET', url.href), 'client_secret_unavailable', 502);
  });

  test('an IdP that cannot be reached: the login start is a refusal page (502), audited, never a 500', async () => {
    const gone = await createIdp(
      stack.db,
      acme.accountId,
      { description: 'Gone', type: 'oidc', issuer: 'http://127.0.0.1:9', clientId: 'x', clientSecretEncrypted: 'v1.x.y' },
      { accountId: acme.accountId, action: 'idp.created', actor: { type: 'system', id: 'test' }, outcome: 'success' },
    );
    await expectRefused(() => new Browser().request('GET', `${stack.baseUrl}/sso/oidc/${gone.id}/login`), 'discovery_failed', 502);
  });
});
