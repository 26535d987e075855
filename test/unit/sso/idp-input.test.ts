import { expect, test } from '@jest/globals';
import * as v from 'valibot';
import { CreateIdpBody, checkSamlSource, ifMatchVersion } from '../../../shared/sso/idp-input.ts';
import { idpView, loginPath } from '../../../shared/sso/idp-view.ts';
import type { Idp } from '../../../shared/db/idps.ts';

test('a SAML IdP has exactly one source', () => {
  expect(() => checkSamlSource({ metadataXml: '<x/>' })).not.toThrow();
  expect(() => checkSamlSource({ metadataUrl: 'https://idp/m' })).not.toThrow();
  expect(() => checkSamlSource({ entityId: 'e', ssoUrl: 'https://idp/sso', certificate: 'c' })).not.toThrow();
  expect(() => checkSamlSource({})).toThrow('Give metadataXml, metadataUrl, or entityId + ssoUrl + certificate');
  expect(() => checkSamlSource({ metadataXml: '<x/>', metadataUrl: 'https://idp/m' })).toThrow('only one of');
  expect(() => checkSamlSource({ metadataUrl: 'https://idp/m', certificate: 'c' })).toThrow('only one of');
  expect(() => checkSamlSource({ entityId: 'e' })).toThrow('also needs ssoUrl and certificate');
  // On PATCH a part of the manual form, or nothing, is fine.
  expect(() => checkSamlSource({ certificate: 'c' }, true)).not.toThrow();
  expect(() => checkSamlSource({}, true)).not.toThrow();
});

test('create bodies: the type picks the schema, unknown fields are refused', () => {
  expect(v.safeParse(CreateIdpBody, { type: 'oidc', description: 'G', issuer: 'https://i', clientId: 'c', clientSecret: 's' }).success).toBe(true);
  expect(v.safeParse(CreateIdpBody, { type: 'oidc', description: 'G', issuer: 'https://i', clientId: 'c', clientSecret: 's', certificate: 'x' }).success).toBe(false);
  expect(v.safeParse(CreateIdpBody, { type: 'saml', description: 'S', clientSecret: 's' }).success).toBe(false);
  expect(v.safeParse(CreateIdpBody, { type: 'cas', description: 'C' }).success).toBe(false);
});

test('If-Match: weak or strong ETag of a version; anything else is a 400', () => {
  expect(ifMatchVersion(undefined)).toBeUndefined();
  expect(ifMatchVersion('W/"7"')).toBe(7);
  expect(ifMatchVersion('"12"')).toBe(12);
  for (const bad of ['7', 'W/"x"', '*', 'W/"1", W/"2"']) expect(() => ifMatchVersion(bad)).toThrow('If-Match');
});

test('login paths carry returnTo and test=1, encoded', () => {
  expect(loginPath({ id: 'abc', type: 'saml' })).toBe('/sso/saml/abc/login');
  expect(loginPath({ id: 'abc', type: 'oidc' }, { returnTo: '/a?b=c&d', test: true })).toBe('/sso/oidc/abc/login?returnTo=%2Fa%3Fb%3Dc%26d&test=1');
});

test('the view of an OIDC IdP never carries its client secret, sealed or not', () => {
  process.env.PUBLIC_BASE_URL = 'https://id.example.com';
  const idp: Idp = {
    id: 'i1',
    accountId: 'a1',
    description: 'G',
    type: 'oidc',
    issuer: 'https://accounts.example',
    clientId: 'client',
    clientSecretEncrypted: 'SEALED-SECRET',
    createdAt: 't',
    updatedAt: 't',
    version: 1,
  };
  const view = idpView(idp);
  expect(JSON.stringify(view)).not.toContain('SEALED-SECRET');
  expect(view).toMatchObject({ redirectUri: 'https://id.example.com/sso/oidc/i1/callback', clientSecretSet: true });
});
