// POST /sso/saml/{idpId}/acs: the IdP's HTTP-POST Response. See shared/saml/acs.ts for what is accepted.
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { consumeAssertion } from '../../shared/saml/acs.ts';
import { requireSamlIdp } from '../../shared/saml/idp-lookup.ts';

const database = db();

export const handler = route('browser', async (request) => {
  const idp = await requireSamlIdp(database, request.pathParameters.idpId);
  return consumeAssertion(database, { idp, form: request.body, sourceIp: request.sourceIp });
});
