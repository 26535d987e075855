// GET /console/settings?notice=: the Enforcement & provisioning page.
import { consoleRoute } from '../../shared/console/route.ts';
import { SETTINGS_NOTICES, settingsPage } from '../../shared/console/settings-page.ts';
import { db } from '../../shared/db/client.ts';

const database = db();

export const handler = consoleRoute(database, (ctx) =>
  settingsPage(database, ctx, { notice: SETTINGS_NOTICES[ctx.request.query.notice ?? ''] }),
);
