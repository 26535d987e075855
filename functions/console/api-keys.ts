// GET /console/api-keys?cursor=&notice=: the API keys & SCIM page.
import { KEY_NOTICES, apiKeysPage } from '../../shared/console/api-keys-page.ts';
import { consoleRoute } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';

const database = db();

export const handler = consoleRoute(database, (ctx) =>
  apiKeysPage(database, ctx, { notice: KEY_NOTICES[ctx.request.query.notice ?? ''] }),
);
