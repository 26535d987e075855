// SAML logins end to end over real HTTP: our login route → AuthnRequest read by the test IdP → a response signed with
// the IdP's own key (xml-crypto) → our ACS → session cookie. SP-initiated and IdP-initiated, plus SP metadata.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { validateSession, sessionCookieValue } from '../../../shared/auth/sessions.ts';
import { getIdp } from '../../../shared/db/idps.ts';
import { getUserItemByEmail } from '../../../shared/db/users.ts';
import { signResponse } from '../../support/saml-idp.ts';
import {
  DOMAIN,
  auditEvents,
  idpKeys,
  postAcs,
  responseFor,
  setCookies,
  setUpSamlAccount,
  signedResponseFor,
  startLogin,
  type SamlFixture,
} from '../../support/saml-setup.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

// Schema validation runs libxml2 in a worker per response; on a busy machine a test can take seconds.
jest.setTimeout(30_000);

let stack: TestStack;
let fx: SamlFixture;
let unsolicited: SamlFixture;

beforeAll(async () => {
  stack = await startTestStack();
  fx = await setUpSamlAccount(stack);
  unsolicited = await setUpSamlAccount(stack, { allowIdpInitiated: true, name: 'Unsolicited Co', domain: 'unsolicited.example' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const sessionOf = (cookies: string[]) => validateSession(stack.db, sessionCookieValue(cookies[0]?.split(';')[0]));

describe('SP metadata', () => {
  test('names the metadata URL as entity ID and our ACS with HTTP-POST', async () => {
    const result = await stack.call('GET', `/sso/saml/${fx.idp.id}/metadata`);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    expect(result.text).toContain(`entityID="${fx.entityId}"`);
    expect(result.text).toMatch(
      new RegExp(`AssertionConsumerService[^>]*Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"[^>]*Location="${fx.acsUrl}"`),
    );
  });

  test('an unknown IdP is a 404 page', async () => {
    const result = await stack.call('GET', '/sso/saml/nope/metadata');
    expect(result.status).toBe(404);
  });
});

describe('SP-initiated login', () => {
  test('redirects to the IdP with an AuthnRequest for our ACS, and the signed answer signs the user in', async () => {
    const { location, request } = await startLogin(stack, fx, '?returnTo=%2Fdashboard%3Ftab%3D2&test=1');
    expect(location.startsWith('https://idp.test/saml/sso?SAMLRequest=')).toBe(true);
    expect(request.acsUrl).toBe(fx.acsUrl);
    expect(request.issuer).toBe(fx.entityId);

    const result = await postAcs(stack, fx, signedResponseFor(fx, { inResponseTo: request.id }));
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe('/dashboard?tab=2');
    const cookies = setCookies(result);
    expect(cookies[0]).toMatch(/^__Host-session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    const session = await sessionOf(cookies);
    expect(session?.user).toMatchObject({ email: `ada@${DOMAIN}`, source: 'jit', givenName: 'Ada', familyName: 'Lovelace' });
    expect((await getIdp(stack.db, fx.accountId, fx.idp.id))?.testedAt).toBeDefined();
    expect((await auditEvents(stack, fx.accountId)).map((e) => e.action)).toContain('login.succeeded');
  });

  test('a response signed at the Response level (not the assertion) is accepted too', async () => {
    const { request } = await startLogin(stack, fx);
    const result = await postAcs(stack, fx, signResponse(responseFor(fx, { inResponseTo: request.id, nameId: `grace@${DOMAIN}` }), idpKeys));
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe('/me');
    expect(await getUserItemByEmail(stack.db, fx.accountId, `grace@${DOMAIN}`)).toBeDefined();
  });

  test('the IdP-initiated RelayState is not used for SP-initiated logins; the stored returnTo is', async () => {
    const { request } = await startLogin(stack, fx, '?returnTo=%2Fsettings');
    const result = await postAcs(stack, fx, signedResponseFor(fx, { inResponseTo: request.id }), { relayState: '/elsewhere' });
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe('/settings');
  });

  test('an absolute returnTo is dropped at the login route', async () => {
    const { request } = await startLogin(stack, fx, '?returnTo=https%3A%2F%2Fevil.example%2F');
    const result = await postAcs(stack, fx, signedResponseFor(fx, { inResponseTo: request.id }));
    expect(result.headers.location).toBe('/me');
  });
});

describe('IdP-initiated login', () => {
  test('is accepted when the IdP allows it, with a relative RelayState', async () => {
    const result = await postAcs(stack, unsolicited, signedResponseFor(unsolicited, { nameId: `linus@unsolicited.example` }), {
      relayState: '/reports',
    });
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe('/reports');
    expect((await sessionOf(setCookies(result)))?.user.email).toBe('linus@unsolicited.example');
  });
});
