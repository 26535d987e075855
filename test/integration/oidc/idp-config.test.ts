// Configuring an OIDC IdP: real discovery against a real oidc-provider, clear refusals, and a client secret that is
// sealed (AES-256-GCM, bound to account and IdP) rather than stored.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSecretKey, idpSecretContext, openSecret, sealSecret } from '../../../shared/auth/secret-box.ts';
import { BadRequest } from '../../../shared/http/errors.ts';
import { oidcIdpFromInput } from '../../../shared/oidc/idp-config.ts';
import { startTestOidcIdp, type TestOidcIdp } from '../../support/oidc-idp.ts';

let idp: TestOidcIdp;
let notOidc: Server;
let notOidcUrl: string;
const seal = { accountId: 'acc-1', idpId: 'idp-1' };

beforeAll(async () => {
  idp = await startTestOidcIdp({
    clients: [{ clientId: 'rp', clientSecret: 's3cret-value', redirectUris: ['http://127.0.0.1/cb'] }],
    users: [],
  });
  notOidc = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hello</html>'));
  await new Promise<void>((r) => notOidc.listen(0, '127.0.0.1', () => r()));
  notOidcUrl = `http://127.0.0.1:${(notOidc.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  await idp?.stop();
  await new Promise<void>((r) => (notOidc ? notOidc.close(() => r()) : r()));
});

describe('oidcIdpFromInput', () => {
  test('runs discovery, keeps the issuer and client id, and seals the secret for this account and IdP only', async () => {
    const config = await oidcIdpFromInput({ issuer: idp.issuer, clientId: 'rp', clientSecret: 's3cret-value' }, seal);
    expect(config).toMatchObject({ type: 'oidc', issuer: idp.issuer, clientId: 'rp' });
    expect(config.clientSecretEncrypted).not.toContain('s3cret');
    expect(await openSecret(config.clientSecretEncrypted, idpSecretContext('acc-1', 'idp-1'))).toBe('s3cret-value');
    await expect(openSecret(config.clientSecretEncrypted, idpSecretContext('acc-2', 'idp-1'))).rejects.toThrow();
    await expect(openSecret(config.clientSecretEncrypted, idpSecretContext('acc-1', 'idp-2'))).rejects.toThrow();
  });

  test.each([
    ['an unreachable issuer', 'http://127.0.0.1:9', /Could not read OpenID Connect discovery/],
    ['a server that is not an OIDC provider', '', /Could not read OpenID Connect discovery/],
    ['an http issuer that is not loopback', 'http://idp.example.com', /must be an https URL/],
    ['not a URL', 'idp', /absolute https URL/],
    ['an issuer with credentials', 'https://user:pw@idp.example.com', /must not contain credentials/],
  ])('refuses %s with a clear BadRequest', async (_name, issuer, message) => {
    const attempt = oidcIdpFromInput({ issuer: issuer || notOidcUrl, clientId: 'rp', clientSecret: 'x' }, seal);
    await expect(attempt).rejects.toBeInstanceOf(BadRequest);
    await expect(attempt).rejects.toThrow(message);
  });

  test('refuses an issuer whose discovery document names another issuer', async () => {
    const attempt = oidcIdpFromInput({ issuer: `${idp.issuer}/other`, clientId: 'rp', clientSecret: 'x' }, seal);
    await expect(attempt).rejects.toBeInstanceOf(BadRequest);
  });

  test('http loopback issuers are refused unless ALLOW_INSECURE_LOOPBACK_IDP=1', async () => {
    process.env.ALLOW_INSECURE_LOOPBACK_IDP = '0';
    try {
      await expect(oidcIdpFromInput({ issuer: idp.issuer, clientId: 'rp', clientSecret: 'x' }, seal)).rejects.toThrow(
        /must be an https URL/,
      );
    } finally {
      process.env.ALLOW_INSECURE_LOOPBACK_IDP = '1';
    }
  });
});

describe('secret box', () => {
  test('sealing is randomised, tamper-evident and bound to its context', async () => {
    const a = await sealSecret('hello', 'ctx');
    const b = await sealSecret('hello', 'ctx');
    expect(a).not.toBe(b);
    expect(await openSecret(a, 'ctx')).toBe('hello');
    const [v, iv, body] = a.split('.') as [string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    await expect(openSecret(`${v}.${iv}.${flipped.toString('base64url')}`, 'ctx')).rejects.toThrow();
    await expect(openSecret(a, 'other')).rejects.toThrow();
    await expect(openSecret('garbage', 'ctx')).rejects.toThrow('Not a sealed secret');
  });

  test('generateSecretKey makes a key in the IDP_SECRET_KEY form', () => {
    expect(Buffer.from(generateSecretKey(), 'base64')).toHaveLength(32);
  });
});
