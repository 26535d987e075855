// PATCH /api/v1/account over real HTTP: enforcement needs a tested IdP (the test login runs the real completeLogin),
// provisioning modes, validation, optimistic If-Match, audit; and the delete guard for the last tested IdP.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { completeLogin } from '../../../shared/auth/complete-login.ts';
import { getIdp } from '../../../shared/db/idps.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

// Under load (several engineers' test runs share two cores) set-up takes longer than Jest's 5 s default.
jest.setTimeout(60_000);

const cert = readFileSync(new URL('../../fixtures/sso/idp-cert-1.pem', import.meta.url), 'utf8');
let stack: TestStack;
let a: { id: string; adminKey: string };
let b: { id: string; adminKey: string };

beforeAll(async () => {
  stack = await startTestStack();
  a = await createTestAccount(stack, 'Settings A');
  b = await createTestAccount(stack, 'Settings B');
});

afterAll(async () => {
  await stack?.stop();
});

const addIdp = async (token: string, description: string): Promise<string> => {
  const result = await stack.call('POST', '/api/v1/idps', {
    token,
    body: { type: 'saml', description, entityId: `https://idp.example/${description}`, ssoUrl: 'https://idp.example/sso', certificate: cert },
  });
  expect(result.status).toBe(201);
  return result.json.id;
};

/** A successful test login through the IdP, by the same code the SAML ACS and OIDC callback end in. */
async function testLogin(accountId: string, idpId: string, email: string): Promise<void> {
  const idp = await getIdp(stack.db, accountId, idpId);
  if (!idp) throw new Error('no idp');
  const response = await completeLogin(stack.db, { idp, sourceIp: '127.0.0.1', test: true }, { email, emailVerified: true });
  expect(response.status).toBe(302);
}

describe('PATCH /api/v1/account', () => {
  test('provisioning mode changes, audited with before and after', async () => {
    const result = await stack.call('PATCH', '/api/v1/account', { token: a.adminKey, body: { provisioning: 'jit' } });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ id: a.id, provisioning: 'jit', enforcement: 'mixed' });
    expect(result.headers.etag).toBe(`W/"${result.json.version}"`);
    expect((await stack.call('GET', '/api/v1/account', { token: a.adminKey })).json.provisioning).toBe('jit');
    expect((await stack.call('GET', '/api/v1/account', { token: b.adminKey })).json.provisioning).toBe('invite');
    const audit = await stack.call('GET', '/api/v1/audit-events?type=account.settings.updated', { token: a.adminKey });
    expect(audit.json.items[0]).toMatchObject({
      outcome: 'success',
      details: { from: { provisioning: 'invite' }, to: { provisioning: 'jit' }, changed: ['provisioning'] },
    });
  });

  test('invalid bodies are 400 with the reason', async () => {
    for (const [body, message] of [
      [{}, 'Give enforcement, provisioning, or both'],
      [{ enforcement: 'strict' }, 'enforcement must be'],
      [{ provisioning: 'ldap' }, 'provisioning must be'],
      [{ name: 'Renamed' }, 'name'],
    ] as const) {
      const result = await stack.call('PATCH', '/api/v1/account', { token: a.adminKey, body });
      expect(result.status).toBe(400);
      expect(result.json.detail).toContain(message);
    }
  });

  test('a stale If-Match is 412 and changes nothing', async () => {
    const result = await stack.call('PATCH', '/api/v1/account', {
      token: a.adminKey,
      headers: { 'If-Match': 'W/"1"' },
      body: { provisioning: 'scim' },
    });
    expect(result.status).toBe(412);
    expect((await stack.call('GET', '/api/v1/account', { token: a.adminKey })).json.provisioning).toBe('jit');
  });

  test('enforced is refused (409) without an IdP, and with an untested one; allowed after a test login', async () => {
    const none = await stack.call('PATCH', '/api/v1/account', { token: b.adminKey, body: { enforcement: 'enforced' } });
    expect(none.status).toBe(409);
    expect(none.json.error).toBe('idp_not_tested');
    expect(none.json.detail).toContain('test login');

    const idpId = await addIdp(b.adminKey, 'okta');
    const untested = await stack.call('PATCH', '/api/v1/account', { token: b.adminKey, body: { enforcement: 'enforced' } });
    expect(untested.status).toBe(409);
    expect((await stack.call('GET', '/api/v1/account', { token: b.adminKey })).json.enforcement).toBe('mixed');

    await stack.call('POST', '/api/v1/users', { token: b.adminKey, body: { email: 'admin@b.example', role: 'admin' } });
    await testLogin(b.id, idpId, 'admin@b.example');
    expect((await stack.call('GET', `/api/v1/idps/${idpId}`, { token: b.adminKey })).json.testedAt).toEqual(expect.any(String));

    const enforced = await stack.call('PATCH', '/api/v1/account', { token: b.adminKey, body: { enforcement: 'enforced' } });
    expect(enforced.status).toBe(200);
    expect(enforced.json.enforcement).toBe('enforced');
    const audit = await stack.call('GET', '/api/v1/audit-events?type=account.settings.updated', { token: b.adminKey });
    expect(audit.json.items[0].details).toMatchObject({ from: { enforcement: 'mixed' }, to: { enforcement: 'enforced' } });

    // Account A's tested IdPs do not count for B, and B's enforcement does not touch A.
    expect((await stack.call('GET', '/api/v1/account', { token: a.adminKey })).json.enforcement).toBe('mixed');
  });

  test('while enforced, the last tested IdP cannot be deleted (409); after switching to mixed it can', async () => {
    const idps = (await stack.call('GET', '/api/v1/idps', { token: b.adminKey })).json.items as { id: string }[];
    const tested = idps[0]?.id as string;
    const refused = await stack.call('DELETE', `/api/v1/idps/${tested}`, { token: b.adminKey });
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toContain('lock everyone out');

    const untested = await addIdp(b.adminKey, 'entra');
    expect((await stack.call('DELETE', `/api/v1/idps/${tested}`, { token: b.adminKey })).status).toBe(409);
    expect((await stack.call('DELETE', `/api/v1/idps/${untested}`, { token: b.adminKey })).status).toBe(204);

    expect((await stack.call('PATCH', '/api/v1/account', { token: b.adminKey, body: { enforcement: 'mixed' } })).status).toBe(200);
    expect((await stack.call('DELETE', `/api/v1/idps/${tested}`, { token: b.adminKey })).status).toBe(204);
  });
});
