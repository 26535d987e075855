// GET /sso/saml/{idpId}/login?returnTo=/path&test=1: SP-initiated login. Sends the browser to the IdP with an
// HTTP-Redirect AuthnRequest and remembers its id (with where to go afterwards) so the ACS accepts only its answer.
import { db } from '../../shared/db/client.ts';
import { saveSamlRequest } from '../../shared/db/saml.ts';
import { route } from '../../shared/http/handler.ts';
import { safeRelativePath } from '../../shared/http/redirect.ts';
import { requireSamlIdp } from '../../shared/saml/idp-lookup.ts';
import { createAuthnRequest } from '../../shared/saml/login.ts';

const database = db();

export const handler = route('browser', async (request) => {
  const idp = await requireSamlIdp(database, request.pathParameters.idpId);
  const { id, location } = createAuthnRequest(idp);
  const returnTo = safeRelativePath(request.query.returnTo);
  await saveSamlRequest(database, {
    accountId: idp.accountId,
    idpId: idp.id,
    requestId: id,
    test: request.query.test === '1',
    ...(returnTo ? { returnTo } : {}),
  });
  return { status: 302, headers: { Location: location } };
});
