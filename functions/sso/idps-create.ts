// POST /api/v1/idps: adds a SAML or OIDC identity provider; answers what to paste into the IdP.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';
import { addIdp } from '../../shared/sso/idp-admin.ts';
import { CreateIdpBody } from '../../shared/sso/idp-input.ts';
import { idpView } from '../../shared/sso/idp-view.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const body = parseWith(CreateIdpBody, request.body);
  const idp = await addIdp(database, principal(request).accountId, body, actedBy(request, 'idp.created'));
  return { status: 201, body: idpView(idp), headers: { ETag: `W/"${idp.version}"` } };
});
