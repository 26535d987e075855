// GET /console/domains?notice=: the Domains page.
import { DOMAIN_NOTICES, domainsPage } from '../../shared/console/domains-page.ts';
import { consoleRoute } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';

const database = db();

export const handler = consoleRoute(database, (ctx) =>
  domainsPage(database, ctx, { notice: DOMAIN_NOTICES[ctx.request.query.notice ?? ''] }),
);
