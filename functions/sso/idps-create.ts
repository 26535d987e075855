// POST /api/v1/idps: adds a SAML or OIDC identity provider; answers what to paste into the IdP.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { createIdp, type IdpConfig } from '../../shared/db/idps.ts';
import { BadRequest } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';
import { newId } from '../../shared/ids.ts';
import { oidcIdpFromInput } from '../../shared/oidc/idp-config.ts';
import { samlIdpFromInput } from '../../shared/saml/idp-config.ts';
import { CreateIdpBody, IDP_INITIATED_OIDC, checkSamlSource } from '../../shared/sso/idp-input.ts';
import { idpView } from '../../shared/sso/idp-view.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const body = parseWith(CreateIdpBody, request.body);
  const { accountId } = principal(request);
  const id = newId();
  let config: IdpConfig;
  if (body.type === 'saml') {
    const { type: _type, description: _description, ...source } = body;
    checkSamlSource(source);
    config = await samlIdpFromInput(source);
  } else {
    if (body.allowIdpInitiated) throw new BadRequest(IDP_INITIATED_OIDC, 'idp_initiated_not_supported');
    config = await oidcIdpFromInput(
      { issuer: body.issuer, clientId: body.clientId, clientSecret: body.clientSecret },
      { accountId, idpId: id },
    );
  }
  const idp = await createIdp(database, accountId, { description: body.description, ...config }, actedBy(request, 'idp.created'), id);
  return { status: 201, body: idpView(idp), headers: { ETag: `W/"${idp.version}"` } };
});
