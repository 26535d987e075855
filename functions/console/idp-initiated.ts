// POST /console/idps/{id}/idp-initiated (form: allow=true|false, version): the SAML IdP-initiated toggle, exactly as
// PATCH /api/v1/idps/{id} {allowIdpInitiated} does (changeIdp, `idp.updated`), conditional on the version the page showed.
import { idpPage } from '../../shared/console/idps-page.ts';
import { consoleErrorPage, consoleRoute, redirect } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';
import { getIdp } from '../../shared/db/idps.ts';
import { HttpError, PreconditionFailed } from '../../shared/http/errors.ts';
import { pathFor } from '../../shared/http/url.ts';
import { changeIdp } from '../../shared/sso/idp-admin.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  const idpId = ctx.request.pathParameters.id ?? '';
  const allow = ctx.form.allow;
  const version = Number(ctx.form.version);
  const failed = async (status: number, error: string) => {
    const idp = await getIdp(database, ctx.account.id, idpId);
    return idp ? idpPage(ctx, idp, { status, error }) : consoleErrorPage(404, 'No such identity provider', 'It may have been deleted.');
  };
  if ((allow !== 'true' && allow !== 'false') || !Number.isInteger(version)) return failed(400, 'The form was incomplete; reload the page.');
  try {
    await changeIdp(database, ctx.account.id, idpId, { allowIdpInitiated: allow === 'true' }, ctx.audit('idp.updated'), version);
  } catch (error) {
    if (error instanceof PreconditionFailed) {
      return failed(409, 'Someone changed this identity provider since you opened the page. Nothing was saved; check and try again.');
    }
    if (error instanceof HttpError && error.status < 500) return failed(error.status, error.detail);
    throw error;
  }
  return redirect(`${pathFor('console-idp', { id: idpId })}?notice=updated`);
});
