// An OIDC IdP from what an admin typed: the issuer is checked by running discovery, the client secret is sealed for the
// table (bound to the account and IdP) and never kept in clear.
import { idpSecretContext, sealSecret } from '../auth/secret-box.ts';
import type { OidcIdpConfig } from '../db/idps.ts';
import { BadRequest } from '../http/errors.ts';
import { discover } from './client.ts';

export async function oidcIdpFromInput(
  input: { issuer: string; clientId: string; clientSecret: string },
  seal: { accountId: string; idpId: string },
): Promise<OidcIdpConfig> {
  const clientId = input.clientId.trim();
  if (!clientId || clientId.length > 255) throw new BadRequest('clientId must be 1 to 255 characters');
  if (!input.clientSecret || input.clientSecret.length > 1024) throw new BadRequest('clientSecret must be 1 to 1024 characters');
  const config = await discover(input.issuer.trim(), clientId);
  return {
    type: 'oidc',
    // The issuer as the IdP names itself (discovery checked that it matches what was typed).
    issuer: config.serverMetadata().issuer,
    clientId,
    clientSecretEncrypted: await sealSecret(input.clientSecret, idpSecretContext(seal.accountId, seal.idpId)),
  };
}
