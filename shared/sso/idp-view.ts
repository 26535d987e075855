// What the admin API shows of an IdP: its settings, what to paste into the IdP (SP details or redirect URI), and the
// pinned certificates by fingerprint and expiry. Never the OIDC client secret, sealed or not.
import { X509Certificate, createHash } from 'node:crypto';
import { requireEnv } from '../config.ts';
import type { Idp } from '../db/idps.ts';
import { spDetails } from '../saml/sp.ts';

function describeCertificate(base64Der: string) {
  const der = Buffer.from(base64Der, 'base64');
  const fingerprintSha256 = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)?.join(':') ?? '';
  try {
    const cert = new X509Certificate(der);
    return { fingerprintSha256, subject: cert.subject, notAfter: new Date(cert.validTo).toISOString() };
  } catch {
    return { fingerprintSha256 };
  }
}

/** `/sso/{type}/{idpId}/login` with `returnTo` and `test` (route ids `saml-login` / `oidc-login`; plain paths until
 *  those routes are in this branch's table). */
export function loginPath(idp: Pick<Idp, 'id' | 'type'>, options: { returnTo?: string; test?: boolean } = {}): string {
  const query = new URLSearchParams();
  if (options.returnTo) query.set('returnTo', options.returnTo);
  if (options.test) query.set('test', '1');
  const suffix = query.size > 0 ? `?${query.toString()}` : '';
  return `/sso/${idp.type}/${encodeURIComponent(idp.id)}/login${suffix}`;
}

export const publicBase = (): string => requireEnv('PUBLIC_BASE_URL').replace(/\/$/, '');

/** The OIDC redirect URI to register at the IdP (route `oidc-callback`). */
export const oidcRedirectUri = (idpId: string): string => `${publicBase()}/sso/oidc/${encodeURIComponent(idpId)}/callback`;

export function idpView(idp: Idp) {
  const common = {
    id: idp.id,
    type: idp.type,
    description: idp.description,
    testedAt: idp.testedAt ?? null,
    createdAt: idp.createdAt,
    updatedAt: idp.updatedAt,
    version: idp.version,
  };
  if (idp.type === 'saml') {
    return {
      ...common,
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      metadataUrl: idp.metadataUrl ?? null,
      allowIdpInitiated: idp.allowIdpInitiated,
      certificates: idp.certificates.map(describeCertificate),
      sp: spDetails(idp.id),
    };
  }
  return { ...common, issuer: idp.issuer, clientId: idp.clientId, clientSecretSet: true, redirectUri: oidcRedirectUri(idp.id) };
}
