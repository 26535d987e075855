// DELETE /api/v1/idps/{id}: refuses to remove the IdP the account cannot do without — the last tested one while SSO is
// enforced (nobody could sign in), or the last one while SCIM keys are live (SCIM needs an IdP). The rules are in
// removeIdp (shared/sso/idp-admin.ts), which the console uses too.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { removeIdp } from '../../shared/sso/idp-admin.ts';

const database = db();

export const handler = route('admin', async (request) => {
  await removeIdp(database, principal(request).accountId, request.pathParameters.id ?? '', actedBy(request, 'idp.deleted'));
  return { status: 204 };
});
