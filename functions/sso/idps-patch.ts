// PATCH /api/v1/idps/{id}: description, IdP-initiated toggle (SAML), new SAML metadata or certificate. Optimistic:
// the write is conditional on the version read (or on If-Match), so concurrent edits never overwrite each other silently.
// The rules are in changeIdp (shared/sso/idp-admin.ts), which the console uses too.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';
import { changeIdp } from '../../shared/sso/idp-admin.ts';
import { PatchIdpBody, ifMatchVersion } from '../../shared/sso/idp-input.ts';
import { idpView } from '../../shared/sso/idp-view.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const body = parseWith(PatchIdpBody, request.body);
  const expected = ifMatchVersion(request.headers['if-match']);
  const { accountId } = principal(request);
  const idp = await changeIdp(database, accountId, request.pathParameters.id ?? '', body, actedBy(request, 'idp.updated'), expected);
  return { status: 200, body: idpView(idp), headers: { ETag: `W/"${idp.version}"` } };
});
