// GET /api/v1/idps/{id}: one identity provider of the caller's account (ETag = its version, for If-Match on PATCH).
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { getIdp } from '../../shared/db/idps.ts';
import { NotFound } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { idpView } from '../../shared/sso/idp-view.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const idp = await getIdp(database, principal(request).accountId, request.pathParameters.id ?? '');
  if (!idp) throw new NotFound('No such identity provider');
  return { status: 200, body: idpView(idp), headers: { ETag: `W/"${idp.version}"` } };
});
