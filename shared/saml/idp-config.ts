// Turns what an admin gives us for a SAML IdP (metadata XML, a metadata URL, or entity ID + SSO URL + certificate) into
// the SamlIdpConfig we store (no samlify here: admin bundles stay small). Everything is checked here, and every refusal is a BadRequest an admin can act on.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { SamlIdpConfig } from '../db/idps.ts';
import { BadRequest } from '../http/errors.ts';
import { BINDING, SAML_NS, UnsafeXml, childElements, descendants, parseUntrustedXml } from './xml.ts';

export const MAX_METADATA_BYTES = 1024 * 1024;
export const METADATA_FETCH_TIMEOUT_MS = 5000;
const MAX_CERTIFICATES = 10;

export interface SamlIdpInput {
  metadataXml?: string;
  metadataUrl?: string;
  entityId?: string;
  ssoUrl?: string;
  certificate?: string;
  allowIdpInitiated?: boolean;
}

/** Outside Lambda (npm start, tests) IdPs on the loopback interface may use plain http. */
const isLocalRuntime = (): boolean => !process.env.AWS_LAMBDA_FUNCTION_NAME;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** https only; http only for a loopback host when running locally. */
function checkedUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadRequest(`${what} is not a valid URL`);
  }
  const localHttp = url.protocol === 'http:' && isLocalRuntime() && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !localHttp) throw new BadRequest(`${what} must be an https:// URL`);
  if (url.username || url.password) throw new BadRequest(`${what} must not contain credentials`);
  return url;
}

/** Accepts a PEM certificate or its base64 body; returns the base64 DER body, or throws if it is not an X.509 certificate. */
export function normaliseCertificate(value: string): string {
  const body = value.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new BadRequest('The certificate is not PEM or base64');
  try {
    new X509Certificate(Buffer.from(body, 'base64'));
  } catch {
    throw new BadRequest('The certificate could not be read as an X.509 certificate');
  }
  return body;
}

function text(element: Element | undefined): string {
  return (element?.textContent ?? '').trim();
}

/** Reads entity ID, HTTP-Redirect SSO URL and signing certificates from IdP metadata (one EntityDescriptor). */
export function parseIdpMetadata(xml: string): Omit<SamlIdpConfig, 'type' | 'allowIdpInitiated' | 'metadataUrl'> {
  let doc: Document;
  try {
    doc = parseUntrustedXml(xml, MAX_METADATA_BYTES);
  } catch (error) {
    if (!(error instanceof UnsafeXml)) throw error;
    const messages: Record<string, string> = {
      too_large: `The metadata is larger than ${MAX_METADATA_BYTES} bytes`,
      dtd: 'The metadata contains a DOCTYPE or entity declarations, which we do not accept',
      encoding: 'The metadata must be UTF-8',
    };
    throw new BadRequest(messages[error.reason] ?? 'The metadata is not well-formed XML');
  }
  const root = doc.documentElement;
  const entities =
    root.namespaceURI === SAML_NS.metadata && root.localName === 'EntityDescriptor'
      ? [root]
      : descendants(doc, SAML_NS.metadata, 'EntityDescriptor');
  const idps = entities.filter((e) => childElements(e, SAML_NS.metadata, 'IDPSSODescriptor').length > 0);
  if (idps.length === 0) throw new BadRequest('The metadata describes no identity provider (no IDPSSODescriptor)');
  if (idps.length > 1) throw new BadRequest('The metadata describes several identity providers; paste the one to use');
  const entity = idps[0] as Element;
  const entityId = entity.getAttribute('entityID')?.trim();
  if (!entityId) throw new BadRequest('The metadata has no entityID');
  const descriptor = childElements(entity, SAML_NS.metadata, 'IDPSSODescriptor')[0] as Element;
  const sso = childElements(descriptor, SAML_NS.metadata, 'SingleSignOnService').find(
    (s) => s.getAttribute('Binding') === BINDING.redirect,
  );
  const ssoLocation = sso?.getAttribute('Location')?.trim();
  if (!ssoLocation) throw new BadRequest('The metadata has no SingleSignOnService with the HTTP-Redirect binding');
  const ssoUrl = checkedUrl(ssoLocation, 'The SingleSignOnService location').toString();
  const certificates = childElements(descriptor, SAML_NS.metadata, 'KeyDescriptor')
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => descendants(k, SAML_NS.dsig, 'X509Certificate'))
    .map((c) => normaliseCertificate(text(c)));
  const unique = [...new Set(certificates)];
  if (unique.length === 0) throw new BadRequest('The metadata has no signing certificate');
  if (unique.length > MAX_CERTIFICATES) throw new BadRequest(`The metadata has more than ${MAX_CERTIFICATES} signing certificates`);
  return { entityId, ssoUrl, certificates: unique };
}

/** Fetches metadata with a time limit, no redirects and a size limit (the body is read incrementally). */
export async function fetchIdpMetadata(metadataUrl: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const url = checkedUrl(metadataUrl, 'The metadata URL');
  let response: Response;
  try {
    response = await fetchImpl(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(METADATA_FETCH_TIMEOUT_MS),
      headers: { Accept: 'application/samlmetadata+xml, application/xml, text/xml' },
    });
  } catch {
    throw new BadRequest(`The metadata URL could not be fetched within ${METADATA_FETCH_TIMEOUT_MS / 1000} s (or it redirected)`);
  }
  if (!response.ok || !response.body) throw new BadRequest(`The metadata URL answered HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_METADATA_BYTES) throw new BadRequest(`The metadata is larger than ${MAX_METADATA_BYTES} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_METADATA_BYTES) {
        await reader.cancel();
        throw new BadRequest(`The metadata is larger than ${MAX_METADATA_BYTES} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest(`The metadata URL could not be fetched within ${METADATA_FETCH_TIMEOUT_MS / 1000} s`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function samlIdpFromInput(input: SamlIdpInput, fetchImpl: typeof fetch = fetch): Promise<SamlIdpConfig> {
  const allowIdpInitiated = input.allowIdpInitiated ?? false;
  const manual = input.entityId !== undefined || input.ssoUrl !== undefined || input.certificate !== undefined;
  const sources = [input.metadataXml !== undefined, input.metadataUrl !== undefined, manual].filter(Boolean).length;
  if (sources !== 1) {
    throw new BadRequest('Give exactly one of: metadataXml, metadataUrl, or entityId + ssoUrl + certificate');
  }
  if (input.metadataXml !== undefined) {
    return { type: 'saml', ...parseIdpMetadata(input.metadataXml), allowIdpInitiated };
  }
  if (input.metadataUrl !== undefined) {
    const metadataUrl = checkedUrl(input.metadataUrl, 'The metadata URL').toString();
    const xml = await fetchIdpMetadata(metadataUrl, fetchImpl);
    return { type: 'saml', ...parseIdpMetadata(xml), metadataUrl, allowIdpInitiated };
  }
  const entityId = input.entityId?.trim();
  if (!entityId) throw new BadRequest('entityId is required (the IdP’s entity ID / issuer)');
  if (entityId.length > 1024) throw new BadRequest('entityId is too long');
  if (!input.ssoUrl) throw new BadRequest('ssoUrl is required (the IdP’s HTTP-Redirect single sign-on URL)');
  const ssoUrl = checkedUrl(input.ssoUrl.trim(), 'ssoUrl').toString();
  if (!input.certificate) throw new BadRequest('certificate is required (the IdP’s signing certificate, PEM or base64)');
  return { type: 'saml', entityId, ssoUrl, certificates: [normaliseCertificate(input.certificate)], allowIdpInitiated };
}
