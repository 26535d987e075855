// GET /sso/oidc/{idpId}/login?returnTo=&test=1 → 302 to the IdP's authorization endpoint (code + PKCE S256, state, nonce).
import { db } from '../../shared/db/client.ts';
import { findIdp } from '../../shared/db/idps.ts';
import { NotFound } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { isOidcIdp, startOidcLogin } from '../../shared/oidc/flow.ts';

const database = db();

export const handler = route('browser', async (request) => {
  const idpId = request.pathParameters.idpId ?? '';
  const idp = /^[\w-]{1,64}$/.test(idpId) ? await findIdp(database, idpId) : undefined;
  if (!isOidcIdp(idp)) throw new NotFound('This sign-in link is not valid. Start again from the sign-in page.');
  return startOidcLogin(database, idp, {
    sourceIp: request.sourceIp,
    returnTo: request.query.returnTo,
    test: request.query.test === '1',
  });
});
