// A SAML identity provider for the tests, written on xml-crypto with its own keys (test/fixtures/saml, made with
// openssl) and sharing no code with samlify or our SP. It reads our HTTP-Redirect AuthnRequests and produces responses:
// good ones, and every broken or hostile variant the security tests need (options below, plus raw XML for the rest).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'saml');

export interface KeyPair {
  keyPem: string;
  certPem: string;
  /** Base64 DER body of the certificate, as SamlIdpConfig.certificates stores it. */
  certBase64: string;
}

export function loadKeyPair(name: 'idp' | 'other-idp'): KeyPair {
  const certPem = readFileSync(join(FIXTURES, `${name}-cert.pem`), 'utf8');
  return {
    keyPem: readFileSync(join(FIXTURES, `${name}-key.pem`), 'utf8'),
    certPem,
    certBase64: certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''),
  };
}

export const ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

export interface ResponseOptions {
  issuer: string;
  destination: string;
  recipient?: string;
  audience: string;
  nameId: string;
  inResponseTo?: string;
  /** Attributes as name → value. */
  attributes?: Record<string, string>;
  now?: Date;
  notBefore?: Date;
  notOnOrAfter?: Date;
  assertionId?: string;
  responseId?: string;
  /** Raw XML placed verbatim as the NameID content (for comment-injection tests). */
  rawNameId?: string;
  status?: string;
}

const xmlEscape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
export const samlId = () => `_${randomBytes(16).toString('hex')}`;

/** An unsigned Response with one Assertion, shaped like what Okta sends. */
export function buildResponse(o: ResponseOptions): string {
  const now = o.now ?? new Date();
  const notBefore = (o.notBefore ?? new Date(now.getTime() - 60_000)).toISOString();
  const notOnOrAfter = (o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)).toISOString();
  const inResponseTo = o.inResponseTo ? ` InResponseTo="${xmlEscape(o.inResponseTo)}"` : '';
  const attributes = Object.entries(o.attributes ?? {})
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${xmlEscape(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${xmlEscape(value)}</saml:AttributeValue></saml:Attribute>`,
    )
    .join('');
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${o.responseId ?? samlId()}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${xmlEscape(o.destination)}"${inResponseTo}>` +
    `<saml:Issuer>${xmlEscape(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${o.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}"/></samlp:Status>` +
    `<saml:Assertion ID="${o.assertionId ?? samlId()}" Version="2.0" IssueInstant="${now.toISOString()}">` +
    `<saml:Issuer>${xmlEscape(o.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${o.rawNameId ?? xmlEscape(o.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${xmlEscape(o.recipient ?? o.destination)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${xmlEscape(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${samlId()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion></samlp:Response>`
  );
}

export interface SignOptions {
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
  /** Certificate put in KeyInfo (default: the signing key's own). */
  keyInfoCertBase64?: string;
}

function sign(xml: string, target: 'Assertion' | 'Response', keys: KeyPair, options: SignOptions = {}): string {
  const certBody = options.keyInfoCertBase64 ?? keys.certBase64;
  const sig = new SignedXml({
    privateKey: keys.keyPem,
    signatureAlgorithm: options.signatureAlgorithm ?? ALG.rsaSha256,
    canonicalizationAlgorithm: ALG.excC14n,
    getKeyInfoContent: () => `<ds:X509Data><ds:X509Certificate>${certBody}</ds:X509Certificate></ds:X509Data>`,
  });
  const path = target === 'Assertion' ? "/*[local-name(.)='Response']/*[local-name(.)='Assertion']" : "/*[local-name(.)='Response']";
  sig.addReference({
    xpath: path,
    digestAlgorithm: options.digestAlgorithm ?? ALG.sha256,
    transforms: [ALG.enveloped, ALG.excC14n],
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${path}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}

export const signAssertion = (xml: string, keys: KeyPair, options?: SignOptions) => sign(xml, 'Assertion', keys, options);
export const signResponse = (xml: string, keys: KeyPair, options?: SignOptions) => sign(xml, 'Response', keys, options);

export const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

/** Reads the AuthnRequest our SP put in an HTTP-Redirect URL (as the IdP's SSO endpoint would). */
export function readRedirectRequest(location: string): { id: string; acsUrl: string; issuer: string; xml: string } {
  const url = new URL(location);
  const encoded = url.searchParams.get('SAMLRequest');
  if (!encoded) throw new Error('no SAMLRequest in the redirect');
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  const id = /\bID="([^"]+)"/.exec(xml)?.[1];
  const acsUrl = /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1];
  const issuer = /<saml:Issuer[^>]*>([^<]+)<\/saml:Issuer>/.exec(xml)?.[1];
  if (!id || !acsUrl || !issuer) throw new Error(`unexpected AuthnRequest: ${xml}`);
  return { id, acsUrl, issuer, xml };
}

/** The form body an IdP's auto-submitting page posts to the ACS. */
export function acsForm(samlResponseBase64: string, relayState?: string): string {
  const params = new URLSearchParams({ SAMLResponse: samlResponseBase64 });
  if (relayState !== undefined) params.set('RelayState', relayState);
  return params.toString();
}
