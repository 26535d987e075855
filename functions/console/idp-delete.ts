// POST /console/idps/{id}/delete: deletes an IdP exactly as DELETE /api/v1/idps/{id} does (removeIdp with its lock-out
// and SCIM guards, `idp.deleted`); a refusal shows on the IdP's page.
import { idpPage } from '../../shared/console/idps-page.ts';
import { consoleErrorPage, consoleRoute, redirect } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';
import { getIdp } from '../../shared/db/idps.ts';
import { HttpError } from '../../shared/http/errors.ts';
import { pathFor } from '../../shared/http/url.ts';
import { removeIdp } from '../../shared/sso/idp-admin.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  const idpId = ctx.request.pathParameters.id ?? '';
  try {
    await removeIdp(database, ctx.account.id, idpId, ctx.audit('idp.deleted'));
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    const idp = await getIdp(database, ctx.account.id, idpId);
    if (!idp) return consoleErrorPage(404, 'No such identity provider', 'It may have been deleted already.');
    const detail = error.detail.replace('(PATCH /api/v1/account)', 'on the Enforcement & provisioning page');
    return idpPage(ctx, idp, { status: error.status, error: detail });
  }
  return redirect(`${pathFor('console-idps')}?notice=deleted`);
});
