// GET /console/audit?type=&actor=&outcome=&since=&until=&cursor=: the Audit log page.
import { auditPage } from '../../shared/console/audit-page.ts';
import { consoleRoute } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';

const database = db();

export const handler = consoleRoute(database, (ctx) => auditPage(database, ctx));
