// stand-in; replaced at merge. The SAML engineer owns this file; same signature. The SP entity ID is the metadata URL.
import { requireEnv } from '../config.ts';

export function spDetails(idpId: string): { entityId: string; acsUrl: string; metadataUrl: string } {
  const base = `${requireEnv('PUBLIC_BASE_URL').replace(/\/$/, '')}/sso/saml/${encodeURIComponent(idpId)}`;
  return { entityId: `${base}/metadata`, acsUrl: `${base}/acs`, metadataUrl: `${base}/metadata` };
}
