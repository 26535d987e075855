// GET /sso/oidc/{idpId}/callback?code=&state= → token exchange, ID token validation, then the shared login completion.
import { db } from '../../shared/db/client.ts';
import { findIdp } from '../../shared/db/idps.ts';
import { NotFound } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { finishOidcLogin, isOidcIdp } from '../../shared/oidc/flow.ts';
import { loginCookieValue } from '../../shared/oidc/login-state.ts';

const database = db();

export const handler = route('browser', async (request) => {
  const idpId = request.pathParameters.idpId ?? '';
  const idp = /^[\w-]{1,64}$/.test(idpId) ? await findIdp(database, idpId) : undefined;
  if (!isOidcIdp(idp)) throw new NotFound('This sign-in link is not valid. Start again from the sign-in page.');
  return finishOidcLogin(database, idp, {
    query: request.query,
    sourceIp: request.sourceIp,
    bindingCookie: loginCookieValue(request.headers.cookie),
  });
});
