// GET /console/ip-allowlist?notice=: the IP allowlist page.
import { ALLOWLIST_NOTICES, allowlistPage } from '../../shared/console/ip-allowlist-page.ts';
import { consoleRoute } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';

export const handler = consoleRoute(db(), async (ctx) =>
  allowlistPage(ctx, { notice: ALLOWLIST_NOTICES[ctx.request.query.notice ?? ''] }),
);
