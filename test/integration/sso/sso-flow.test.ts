// The SSO pieces together, end to end over real HTTP with a real oidc-provider: the login page discovers the account
// and links to its IdP, the IdP's form signs the person in, /me answers who; the admin's test-login URL runs the same
// flow, marks the IdP tested, and only then may SSO be enforced.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { SESSION_COOKIE } from '../../../shared/auth/sessions.ts';
import { Browser, createOidcTestAccount, signInAtIdp, type OidcTestAccount } from '../../support/oidc-idp.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

// Under load (several engineers' test runs share two cores) set-up takes longer than Jest's 5 s default.
jest.setTimeout(60_000);

let stack: TestStack;
let acme: OidcTestAccount;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  stack = await startTestStack();
  acme = await createOidcTestAccount(stack, {
    provisioning: 'invite',
    domain: 'flow.example',
    users: [{ email: 'ada@flow.example', password: PASSWORD, givenName: 'Ada', familyName: 'Lovelace' }],
  });
  const invited = await stack.call('POST', '/api/v1/users', { token: acme.adminKey, body: { email: 'ada@flow.example', role: 'admin' } });
  if (invited.status !== 201) throw new Error(invited.text);
});

afterAll(async () => {
  await acme?.idp.stop();
  await stack?.stop();
});

/** From a page of ours, through the IdP's sign-in form, back to wherever our callback sends the browser. */
async function throughIdp(browser: Browser, ourLoginUrl: string) {
  const start = await browser.request('GET', ourLoginUrl);
  expect(start.status).toBe(302);
  const form = await browser.navigate(start.location as string);
  const leavesCallback = (url: URL) => url.origin === stack.baseUrl && !acme.isCallback(url);
  return signInAtIdp(browser, form, { email: 'ada@flow.example', password: PASSWORD }, leavesCallback);
}

test('/login → the IdP button → the IdP’s form → signed in at returnTo; /me and logout', async () => {
  const browser = new Browser();
  const page = await browser.request('GET', `${stack.baseUrl}/login?email=ada%40flow.example&returnTo=%2Fprojects`);
  expect(page.status).toBe(200);
  const href = /<a class="idp" href="([^"]+)">Continue with Test OIDC IdP<\/a>/.exec(page.text)?.[1]?.replace(/&#38;/g, '&');
  expect(href).toBe(`${stack.baseUrl}/sso/oidc/${acme.idpId}/login?returnTo=%2Fprojects`);

  const back = await throughIdp(browser, href as string);
  expect(back.location).toBe(`${stack.baseUrl}/projects`);
  const cookie = `${SESSION_COOKIE}=${browser.cookie(SESSION_COOKIE)}`;
  const me = await stack.call('GET', '/me', { headers: { Cookie: cookie } });
  expect(me.status).toBe(200);
  expect(me.json).toMatchObject({ email: 'ada@flow.example', accountId: acme.accountId, role: 'admin' });

  const out = await stack.call('POST', '/logout', { headers: { Cookie: cookie, Origin: stack.baseUrl } });
  expect(out.status).toBe(303);
  expect((await stack.call('GET', '/me', { headers: { Cookie: cookie } })).status).toBe(401);
});

test('the test-login URL runs the real flow, marks the IdP tested, and unlocks enforcement', async () => {
  const refused = await stack.call('PATCH', '/api/v1/account', { token: acme.adminKey, body: { enforcement: 'enforced' } });
  expect(refused.status).toBe(409);

  const { json } = await stack.call('POST', `/api/v1/idps/${acme.idpId}/test`, { token: acme.adminKey });
  expect(json.url).toBe(`${stack.baseUrl}/sso/oidc/${acme.idpId}/login?test=1`);
  const back = await throughIdp(new Browser(), json.url);
  expect(back.location).toBe(`${stack.baseUrl}/me`);
  const idp = await stack.call('GET', `/api/v1/idps/${acme.idpId}`, { token: acme.adminKey });
  expect(idp.json.testedAt).toEqual(expect.any(String));

  const enforced = await stack.call('PATCH', '/api/v1/account', { token: acme.adminKey, body: { enforcement: 'enforced' } });
  expect(enforced.status).toBe(200);
  expect(enforced.json.enforcement).toBe('enforced');
  // And now that IdP is the one the account cannot lose.
  expect((await stack.call('DELETE', `/api/v1/idps/${acme.idpId}`, { token: acme.adminKey })).status).toBe(409);
});
