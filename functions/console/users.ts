// GET /console/users?cursor=&notice=: the Users page.
import { consoleRoute } from '../../shared/console/route.ts';
import { USER_NOTICES, usersPage } from '../../shared/console/users-page.ts';
import { db } from '../../shared/db/client.ts';

const database = db();

export const handler = consoleRoute(database, (ctx) =>
  usersPage(database, ctx, { notice: USER_NOTICES[ctx.request.query.notice ?? ''] }),
);
