// stand-in; replaced at merge. The OIDC engineer owns this file (and shared/auth/secret-box.ts, which seals the client
// secret). This version runs the same discovery check but does not keep the secret at all: it stores a placeholder.
import * as client from 'openid-client';
import type { OidcIdpConfig } from '../db/idps.ts';
import { BadRequest } from '../http/errors.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function oidcIdpFromInput(
  input: { issuer: string; clientId: string; clientSecret: string },
  seal: { accountId: string; idpId: string },
): Promise<OidcIdpConfig> {
  let issuer: URL;
  try {
    issuer = new URL(input.issuer);
  } catch {
    throw new BadRequest('issuer is not a URL');
  }
  const insecureOk = process.env.ALLOW_INSECURE_LOOPBACK_IDP === '1' && LOOPBACK.has(issuer.hostname);
  if (issuer.protocol !== 'https:' && !insecureOk) throw new BadRequest('issuer must be an https URL');
  try {
    await client.discovery(issuer, input.clientId, input.clientSecret, undefined, {
      ...(insecureOk ? { execute: [client.allowInsecureRequests] } : {}),
      timeout: 5,
    });
  } catch {
    throw new BadRequest(`OpenID Connect discovery failed for ${issuer.href}; check the issuer URL`, 'discovery_failed');
  }
  return {
    type: 'oidc',
    issuer: input.issuer,
    clientId: input.clientId,
    clientSecretEncrypted: `stand-in:${seal.accountId}:${seal.idpId}`,
  };
}
