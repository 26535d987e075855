// POST /api/v1/idps/{id}/test: the URL of a test login through this IdP; its success marks the IdP tested, which
// switching the account to SSO-enforced requires.
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { getIdp } from '../../shared/db/idps.ts';
import { NotFound } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { loginPath, publicBase } from '../../shared/sso/idp-view.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const idp = await getIdp(database, principal(request).accountId, request.pathParameters.id ?? '');
  if (!idp) throw new NotFound('No such identity provider');
  return { status: 200, body: { url: `${publicBase()}${loginPath(idp, { test: true })}` } };
});
