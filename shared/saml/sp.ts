// Our side of SAML, per IdP: entity ID = the SP metadata URL, ACS = the ACS URL, both from the route table. Kept free of
// samlify so admin routes that show these values do not bundle it (samlify set-up lives in samlify.ts).
import { urlFor } from '../http/url.ts';

/** Clock skew we tolerate between the IdP and us, in both directions. */
export const CLOCK_SKEW_MS = 2 * 60 * 1000;

export function spDetails(idpId: string): { entityId: string; acsUrl: string; metadataUrl: string } {
  const metadataUrl = urlFor('saml-metadata', { idpId });
  return { entityId: metadataUrl, acsUrl: urlFor('saml-acs', { idpId }), metadataUrl };
}
