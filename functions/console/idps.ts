// GET /console/idps?notice=: the Identity providers page (list and add forms).
import { IDP_NOTICES, idpsPage } from '../../shared/console/idps-page.ts';
import { consoleRoute } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';

const database = db();

export const handler = consoleRoute(database, (ctx) => idpsPage(database, ctx, { notice: IDP_NOTICES[ctx.request.query.notice ?? ''] }));
