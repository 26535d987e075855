// PATCH /api/v1/idps/{id}: description, IdP-initiated toggle (SAML), new SAML metadata or certificate. Optimistic:
// the write is conditional on the version read (or on If-Match), so concurrent edits never overwrite each other silently.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { getIdp, updateIdp } from '../../shared/db/idps.ts';
import { BadRequest, NotFound } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';
import { samlIdpFromInput } from '../../shared/saml/idp-config.ts';
import { IDP_INITIATED_OIDC, PatchIdpBody, checkSamlSource, ifMatchVersion } from '../../shared/sso/idp-input.ts';
import { idpView } from '../../shared/sso/idp-view.ts';

const database = db();
const SAML_ONLY = ['metadataXml', 'metadataUrl', 'entityId', 'ssoUrl', 'certificate'] as const;

export const handler = route('admin', async (request) => {
  const body = parseWith(PatchIdpBody, request.body);
  const expected = ifMatchVersion(request.headers['if-match']);
  const { accountId } = principal(request);
  const idpId = request.pathParameters.id ?? '';
  const current = await getIdp(database, accountId, idpId);
  if (!current) throw new NotFound('No such identity provider');

  const changes: Record<string, unknown> = { description: body.description };
  if (current.type === 'oidc') {
    const samlFields = SAML_ONLY.filter((field) => body[field] !== undefined);
    if (samlFields.length > 0) throw new BadRequest(`${samlFields.join(', ')} apply to SAML identity providers only`);
    if (body.allowIdpInitiated) throw new BadRequest(IDP_INITIATED_OIDC, 'idp_initiated_not_supported');
  } else {
    changes.allowIdpInitiated = body.allowIdpInitiated;
    checkSamlSource(body, true);
    const allowIdpInitiated = body.allowIdpInitiated ?? current.allowIdpInitiated;
    if (body.metadataXml !== undefined || body.metadataUrl !== undefined) {
      const config = await samlIdpFromInput({ metadataXml: body.metadataXml, metadataUrl: body.metadataUrl, allowIdpInitiated });
      Object.assign(changes, { entityId: config.entityId, ssoUrl: config.ssoUrl, certificates: config.certificates });
      if (config.metadataUrl !== undefined) changes.metadataUrl = config.metadataUrl;
    } else if (body.entityId !== undefined || body.ssoUrl !== undefined || body.certificate !== undefined) {
      // Re-check the whole manual configuration with the new parts in it.
      const config = await samlIdpFromInput({
        entityId: body.entityId ?? current.entityId,
        ssoUrl: body.ssoUrl ?? current.ssoUrl,
        certificate: body.certificate ?? current.certificates[0],
        allowIdpInitiated,
      });
      Object.assign(changes, {
        entityId: config.entityId,
        ssoUrl: config.ssoUrl,
        certificates: body.certificate !== undefined ? config.certificates : current.certificates,
      });
    }
  }
  const idp = await updateIdp(database, accountId, idpId, changes, actedBy(request, 'idp.updated'), expected ?? current.version);
  return { status: 200, body: idpView(idp), headers: { ETag: `W/"${idp.version}"` } };
});
