// SAML routes carry only the IdP id: find it (1 Query on gsi1) and insist it is a SAML IdP.
import type { Db } from '../db/client.ts';
import { findIdp, type Idp, type SamlIdpConfig } from '../db/idps.ts';
import { NotFound } from '../http/errors.ts';

export async function requireSamlIdp(db: Db, idpId: string | undefined): Promise<Idp & SamlIdpConfig> {
  const idp = idpId ? await findIdp(db, idpId) : undefined;
  if (!idp || idp.type !== 'saml') throw new NotFound('This sign-in link is not valid. Start again from the sign-in page.');
  return idp;
}
