// The IdP admin API over real HTTP: shapes, validation, what is never returned, optimistic updates, tenant isolation,
// the SCIM-key delete guard, audit events.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import { idpKey } from '../../../shared/db/keys.ts';
import { startDiscoveryServer, type DiscoveryServer } from '../../support/oidc-discovery.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

// Under load (several engineers' test runs share two cores) set-up takes longer than Jest's 5 s default.
jest.setTimeout(60_000);

const certPem = (n: number) => readFileSync(new URL(`../../fixtures/sso/idp-cert-${n}.pem`, import.meta.url), 'utf8');
const certBase64 = (n: number) => certPem(n).replace(/-----[A-Z ]+-----|\s/g, '');

let stack: TestStack;
let issuer: DiscoveryServer;
let a: { id: string; adminKey: string };
let b: { id: string; adminKey: string };

beforeAll(async () => {
  process.env.ALLOW_INSECURE_LOOPBACK_IDP = '1';
  issuer = await startDiscoveryServer();
  stack = await startTestStack();
  a = await createTestAccount(stack, 'IdP A');
  b = await createTestAccount(stack, 'IdP B');
});

afterAll(async () => {
  await stack?.stop();
  await issuer?.stop();
});

const manualSaml = (description = 'Okta', cert = certPem(1)) => ({
  type: 'saml',
  description,
  entityId: 'https://idp.example/okta',
  ssoUrl: 'https://idp.example/sso',
  certificate: cert,
});

describe('POST /api/v1/idps', () => {
  test('SAML by hand → 201 with what to paste into the IdP, built from our base URL', async () => {
    const created = await stack.call('POST', '/api/v1/idps', { token: a.adminKey, body: manualSaml() });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json).toMatchObject({
      id: expect.any(String),
      type: 'saml',
      description: 'Okta',
      entityId: 'https://idp.example/okta',
      ssoUrl: 'https://idp.example/sso',
      allowIdpInitiated: false,
      testedAt: null,
      sp: {
        entityId: `${stack.baseUrl}/sso/saml/${id}/metadata`,
        acsUrl: `${stack.baseUrl}/sso/saml/${id}/acs`,
        metadataUrl: `${stack.baseUrl}/sso/saml/${id}/metadata`,
      },
    });
    expect(created.json.certificates).toEqual([
      { fingerprintSha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/), subject: 'CN=Test IdP 1', notAfter: expect.any(String) },
    ]);
    const audit = await stack.call('GET', '/api/v1/audit-events?type=idp.created', { token: a.adminKey });
    expect(audit.json.items.map((e: { target: { id: string } }) => e.target.id)).toContain(id);
  });

  test('a base64 DER certificate works as well as PEM, and allowIdpInitiated is kept', async () => {
    const created = await stack.call('POST', '/api/v1/idps', {
      token: a.adminKey,
      body: { ...manualSaml('Entra', certBase64(2)), allowIdpInitiated: true },
    });
    expect(created.status).toBe(201);
    expect(created.json.allowIdpInitiated).toBe(true);
    expect(created.json.certificates[0].subject).toBe('CN=Test IdP 2');
  });

  test('OIDC by issuer → 201 with the redirect URI; the client secret is never returned nor stored in clear', async () => {
    const secret = 'very-secret-client-secret-0123456789';
    const created = await stack.call('POST', '/api/v1/idps', {
      token: a.adminKey,
      body: { type: 'oidc', description: 'Google', issuer: issuer.issuer, clientId: 'client-1', clientSecret: secret },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json).toMatchObject({
      type: 'oidc',
      description: 'Google',
      issuer: issuer.issuer,
      clientId: 'client-1',
      redirectUri: `${stack.baseUrl}/sso/oidc/${id}/callback`,
    });
    expect(created.text).not.toContain(secret);
    expect(created.text).not.toContain('clientSecretEncrypted');
    const got = await stack.call('GET', `/api/v1/idps/${id}`, { token: a.adminKey });
    const listed = await stack.call('GET', '/api/v1/idps', { token: a.adminKey });
    for (const text of [got.text, listed.text]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('clientSecretEncrypted');
    }
    const item = await stack.db.doc.send(new GetCommand({ TableName: stack.db.tableName, Key: idpKey(a.id, id) }));
    expect(JSON.stringify(item.Item)).not.toContain(secret);
  });

  test('refusals say what is wrong', async () => {
    const cases: [unknown, string][] = [
      [{ type: 'ldap', description: 'x' }, 'type must be "saml" or "oidc"'],
      [{ ...manualSaml(), description: '' }, 'description'],
      [{ ...manualSaml(), colour: 'red' }, 'colour'],
      [{ type: 'saml', description: 'x' }, 'Give metadataXml, metadataUrl, or entityId + ssoUrl + certificate'],
      [{ type: 'saml', description: 'x', entityId: 'e', ssoUrl: 'https://idp.example/sso' }, 'also needs certificate'],
      [{ ...manualSaml(), metadataUrl: 'https://idp.example/metadata' }, 'only one of'],
      [{ ...manualSaml(), ssoUrl: 'not a url' }, 'ssoUrl'],
      [{ ...manualSaml(), certificate: 'bm90IGEgY2VydGlmaWNhdGU=' }, 'certificate'],
      [{ type: 'oidc', description: 'x', issuer: issuer.issuer, clientId: 'c' }, 'clientSecret'],
      [
        { type: 'oidc', description: 'x', issuer: issuer.issuer, clientId: 'c', clientSecret: 's', allowIdpInitiated: true },
        'allowIdpInitiated applies to SAML only',
      ],
    ];
    for (const [body, message] of cases) {
      const result = await stack.call('POST', '/api/v1/idps', { token: a.adminKey, body });
      expect([JSON.stringify(body), result.status]).toEqual([JSON.stringify(body), 400]);
      expect(result.json.detail).toContain(message);
    }
  });

  test('an OIDC issuer without discovery is a 400, not a 500', async () => {
    const result = await stack.call('POST', '/api/v1/idps', {
      token: a.adminKey,
      body: { type: 'oidc', description: 'Nowhere', issuer: `${issuer.issuer}/nothing-here`, clientId: 'c', clientSecret: 's' },
    });
    expect(result.status).toBe(400);
  });
});

describe('GET, PATCH, POST …/test on /api/v1/idps/{id}', () => {
  let id: string;
  beforeAll(async () => {
    id = (await stack.call('POST', '/api/v1/idps', { token: a.adminKey, body: manualSaml('To edit') })).json.id;
  });

  test('GET gives the IdP with an ETag; the list has it', async () => {
    const got = await stack.call('GET', `/api/v1/idps/${id}`, { token: a.adminKey });
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('W/"1"');
    expect(got.json).toMatchObject({ id, description: 'To edit', version: 1 });
    const list = await stack.call('GET', '/api/v1/idps', { token: a.adminKey });
    expect(list.json.items.map((i: { id: string }) => i.id)).toContain(id);
  });

  test('PATCH changes description and the IdP-initiated toggle; a stale If-Match is 412', async () => {
    const patched = await stack.call('PATCH', `/api/v1/idps/${id}`, {
      token: a.adminKey,
      headers: { 'If-Match': 'W/"1"' },
      body: { description: 'Okta (prod)', allowIdpInitiated: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ description: 'Okta (prod)', allowIdpInitiated: true, version: 2 });
    const stale = await stack.call('PATCH', `/api/v1/idps/${id}`, {
      token: a.adminKey,
      headers: { 'If-Match': 'W/"1"' },
      body: { description: 'Lost update' },
    });
    expect(stale.status).toBe(412);
    expect((await stack.call('GET', `/api/v1/idps/${id}`, { token: a.adminKey })).json.description).toBe('Okta (prod)');
    const audit = await stack.call('GET', '/api/v1/audit-events?type=idp.updated', { token: a.adminKey });
    expect(audit.json.items[0]).toMatchObject({ target: { id }, details: { changed: ['description', 'allowIdpInitiated'] } });
  });

  test('PATCH with a new certificate pins it instead of the old one', async () => {
    const before = (await stack.call('GET', `/api/v1/idps/${id}`, { token: a.adminKey })).json.certificates[0].fingerprintSha256;
    const patched = await stack.call('PATCH', `/api/v1/idps/${id}`, { token: a.adminKey, body: { certificate: certPem(2) } });
    expect(patched.status).toBe(200);
    expect(patched.json.certificates).toHaveLength(1);
    expect(patched.json.certificates[0].fingerprintSha256).not.toBe(before);
    expect(patched.json.certificates[0].subject).toBe('CN=Test IdP 2');
    expect(patched.json.entityId).toBe('https://idp.example/okta');
  });

  test('PATCH refusals: empty body, unknown field, bad certificate, SAML fields on an OIDC IdP, bad If-Match', async () => {
    expect((await stack.call('PATCH', `/api/v1/idps/${id}`, { token: a.adminKey, body: {} })).status).toBe(400);
    expect((await stack.call('PATCH', `/api/v1/idps/${id}`, { token: a.adminKey, body: { type: 'oidc' } })).status).toBe(400);
    expect((await stack.call('PATCH', `/api/v1/idps/${id}`, { token: a.adminKey, body: { certificate: 'nope' } })).status).toBe(400);
    const bad = await stack.call('PATCH', `/api/v1/idps/${id}`, {
      token: a.adminKey,
      headers: { 'If-Match': 'yesterday' },
      body: { description: 'x' },
    });
    expect(bad.status).toBe(400);
    const oidc = await stack.call('POST', '/api/v1/idps', {
      token: a.adminKey,
      body: { type: 'oidc', description: 'OIDC', issuer: issuer.issuer, clientId: 'c', clientSecret: 's' },
    });
    const samlOnOidc = await stack.call('PATCH', `/api/v1/idps/${oidc.json.id}`, { token: a.adminKey, body: { certificate: certPem(1) } });
    expect(samlOnOidc.status).toBe(400);
    expect(samlOnOidc.json.detail).toContain('SAML identity providers only');
    const idpInitiated = await stack.call('PATCH', `/api/v1/idps/${oidc.json.id}`, { token: a.adminKey, body: { allowIdpInitiated: true } });
    expect(idpInitiated.status).toBe(400);
    expect(idpInitiated.json.detail).toContain('allowIdpInitiated applies to SAML only');
  });

  test('POST …/test answers the login URL with test=1', async () => {
    const result = await stack.call('POST', `/api/v1/idps/${id}/test`, { token: a.adminKey });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ url: `${stack.baseUrl}/sso/saml/${id}/login?test=1` });
  });

  test('another account cannot see, change, test or delete it (404), nor list it', async () => {
    for (const [method, path, body] of [
      ['GET', `/api/v1/idps/${id}`, undefined],
      ['PATCH', `/api/v1/idps/${id}`, { description: 'pwned' }],
      ['POST', `/api/v1/idps/${id}/test`, undefined],
      ['DELETE', `/api/v1/idps/${id}`, undefined],
    ] as const) {
      const result = await stack.call(method, path, { token: b.adminKey, body });
      expect([method, result.status]).toEqual([method, 404]);
    }
    expect((await stack.call('GET', '/api/v1/idps', { token: b.adminKey })).json.items).toEqual([]);
    expect((await stack.call('GET', `/api/v1/idps/${id}`, { token: a.adminKey })).json.description).toBe('Okta (prod)');
  });

  test('without an admin key: 401', async () => {
    expect((await stack.call('GET', '/api/v1/idps')).status).toBe(401);
    expect((await stack.call('POST', '/api/v1/idps', { body: manualSaml() })).status).toBe(401);
  });
});

describe('DELETE /api/v1/idps/{id}', () => {
  test('deletes → 204, then 404; audited', async () => {
    const { json } = await stack.call('POST', '/api/v1/idps', { token: b.adminKey, body: manualSaml('Short-lived') });
    expect((await stack.call('DELETE', `/api/v1/idps/${json.id}`, { token: b.adminKey })).status).toBe(204);
    expect((await stack.call('GET', `/api/v1/idps/${json.id}`, { token: b.adminKey })).status).toBe(404);
    expect((await stack.call('DELETE', `/api/v1/idps/${json.id}`, { token: b.adminKey })).status).toBe(404);
    const audit = await stack.call('GET', '/api/v1/audit-events?type=idp.deleted', { token: b.adminKey });
    expect(audit.json.items.map((e: { target: { id: string } }) => e.target.id)).toEqual([json.id]);
  });

  test('the last IdP of an account with a live SCIM key cannot be deleted (409); with another IdP it can', async () => {
    const c = await createTestAccount(stack, 'SCIM Co');
    const first = (await stack.call('POST', '/api/v1/idps', { token: c.adminKey, body: manualSaml('Only') })).json.id;
    const key = await stack.call('POST', '/api/v1/api-keys', { token: c.adminKey, body: { description: 'scim', scopes: ['scim'] } });
    expect(key.status).toBe(201);
    const refused = await stack.call('DELETE', `/api/v1/idps/${first}`, { token: c.adminKey });
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toContain('SCIM');
    expect((await stack.call('GET', `/api/v1/idps/${first}`, { token: c.adminKey })).status).toBe(200);

    const second = (await stack.call('POST', '/api/v1/idps', { token: c.adminKey, body: manualSaml('Second') })).json.id;
    expect((await stack.call('DELETE', `/api/v1/idps/${first}`, { token: c.adminKey })).status).toBe(204);
    expect((await stack.call('DELETE', `/api/v1/idps/${second}`, { token: c.adminKey })).status).toBe(409);

    expect((await stack.call('DELETE', `/api/v1/api-keys/${key.json.id}`, { token: c.adminKey })).status).toBe(204);
    expect((await stack.call('DELETE', `/api/v1/idps/${second}`, { token: c.adminKey })).status).toBe(204);
  });
});
