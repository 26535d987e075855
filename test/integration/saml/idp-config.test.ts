// samlIdpFromInput: IdP metadata pasted or fetched (from a real HTTP server on 127.0.0.1), or the manual fields, and
// the refusals an admin sees.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequest } from '../../../shared/http/errors.ts';
import { samlIdpFromInput } from '../../../shared/saml/idp-config.ts';
import { loadKeyPair } from '../../support/saml-idp.ts';

const keys = loadKeyPair('idp');
const other = loadKeyPair('other-idp');

const metadata = (options: { certs?: string[]; binding?: string; entityId?: string; prolog?: string } = {}) =>
  `${options.prolog ?? ''}<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${options.entityId ?? 'http://www.okta.com/exk1'}">` +
  `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
  (options.certs ?? [keys.certBase64])
    .map((c) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('') +
  `<md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${other.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
  `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://example.okta.com/app/post"/>` +
  `<md:SingleSignOnService Binding="${options.binding ?? 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect'}" Location="https://example.okta.com/app/sso"/>` +
  `</md:IDPSSODescriptor></md:EntityDescriptor>`;

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/metadata') {
      res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' });
      res.end(metadata());
    } else if (req.url === '/huge') {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end(`<x>${'a'.repeat(2 * 1024 * 1024)}</x>`);
    } else if (req.url === '/redirect') {
      res.writeHead(302, { Location: '/metadata' });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

const refusal = async (input: Parameters<typeof samlIdpFromInput>[0]): Promise<string> => {
  try {
    await samlIdpFromInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequest);
    return (error as BadRequest).detail;
  }
  throw new Error('expected a refusal');
};

describe('metadata XML', () => {
  test('entity ID, the HTTP-Redirect SSO URL and only the signing certificates', async () => {
    const config = await samlIdpFromInput({ metadataXml: metadata({ certs: [keys.certBase64, other.certBase64] }) });
    expect(config).toEqual({
      type: 'saml',
      entityId: 'http://www.okta.com/exk1',
      ssoUrl: 'https://example.okta.com/app/sso',
      certificates: [keys.certBase64, other.certBase64],
      allowIdpInitiated: false,
    });
  });

  test('refusals an admin can act on', async () => {
    expect(await refusal({ metadataXml: metadata({ prolog: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' }) })).toMatch(/DOCTYPE/);
    expect(await refusal({ metadataXml: '<nope' })).toMatch(/well-formed/);
    expect(await refusal({ metadataXml: metadata({ binding: 'urn:x' }) })).toMatch(/HTTP-Redirect/);
    expect(await refusal({ metadataXml: metadata({ certs: [] }) })).toMatch(/no signing certificate/);
    expect(await refusal({ metadataXml: metadata({ certs: ['bm90IGEgY2VydA=='] }) })).toMatch(/X\.509/);
    expect(await refusal({ metadataXml: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>' })).toMatch(
      /no identity provider/,
    );
    expect(await refusal({ metadataXml: metadata(), entityId: 'x' })).toMatch(/exactly one/);
  });
});

describe('metadata URL', () => {
  test('is fetched and parsed, and the URL kept for refresh', async () => {
    const config = await samlIdpFromInput({ metadataUrl: `${base}/metadata`, allowIdpInitiated: true });
    expect(config).toMatchObject({ entityId: 'http://www.okta.com/exk1', metadataUrl: `${base}/metadata`, allowIdpInitiated: true });
  });

  test('refuses plain http off loopback, redirects, errors and oversized documents', async () => {
    expect(await refusal({ metadataUrl: 'http://idp.example/metadata' })).toMatch(/https/);
    expect(await refusal({ metadataUrl: 'not a url' })).toMatch(/not a valid URL/);
    expect(await refusal({ metadataUrl: `${base}/redirect` })).toMatch(/redirected/);
    expect(await refusal({ metadataUrl: `${base}/missing` })).toMatch(/HTTP 404/);
    expect(await refusal({ metadataUrl: `${base}/huge` })).toMatch(/larger than/);
  });
});

describe('manual fields', () => {
  test('PEM or bare base64 certificate', async () => {
    const fromPem = await samlIdpFromInput({ entityId: 'https://idp.example', ssoUrl: 'https://idp.example/sso', certificate: keys.certPem });
    const fromBase64 = await samlIdpFromInput({ entityId: 'https://idp.example', ssoUrl: 'https://idp.example/sso', certificate: keys.certBase64 });
    expect(fromPem).toEqual(fromBase64);
    expect(fromPem.certificates).toEqual([keys.certBase64]);
  });

  test('missing or bad fields', async () => {
    expect(await refusal({ ssoUrl: 'https://idp.example/sso', certificate: keys.certPem })).toMatch(/entityId is required/);
    expect(await refusal({ entityId: 'e', certificate: keys.certPem })).toMatch(/ssoUrl is required/);
    expect(await refusal({ entityId: 'e', ssoUrl: 'https://idp.example/sso' })).toMatch(/certificate is required/);
    expect(await refusal({ entityId: 'e', ssoUrl: 'ftp://idp.example/sso', certificate: keys.certPem })).toMatch(/https/);
    expect(await refusal({ entityId: 'e', ssoUrl: 'https://idp.example/sso', certificate: 'hello' })).toMatch(/X\.509/);
  });
});
