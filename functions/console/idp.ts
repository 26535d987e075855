// GET /console/idps/{id}?notice=: one identity provider — what to paste into it, "Test sign-in", toggle, delete.
import { IDP_NOTICES, idpPage } from '../../shared/console/idps-page.ts';
import { consoleErrorPage, consoleRoute } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';
import { getIdp } from '../../shared/db/idps.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  const idp = await getIdp(database, ctx.account.id, ctx.request.pathParameters.id ?? '');
  if (!idp) return consoleErrorPage(404, 'No such identity provider', 'It may have been deleted.');
  return idpPage(ctx, idp, { notice: IDP_NOTICES[ctx.request.query.notice ?? ''] });
});
