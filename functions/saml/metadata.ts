// GET /sso/saml/{idpId}/metadata: our SP metadata for this IdP (entity ID = this URL, ACS with HTTP-POST), to paste or
// point the IdP at.
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { requireSamlIdp } from '../../shared/saml/idp-lookup.ts';
import { serviceProvider } from '../../shared/saml/samlify.ts';

const database = db();

export const handler = route('browser', async (request) => {
  const idp = await requireSamlIdp(database, request.pathParameters.idpId);
  return {
    status: 200,
    html: serviceProvider(idp.id).getMetadata(),
    headers: { 'Content-Type': 'application/samlmetadata+xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' },
  };
});
