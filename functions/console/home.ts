// GET /console: the console opens on the Users page (after the same admin guard as every page).
import { consoleRoute, redirect } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';
import { urlFor } from '../../shared/http/url.ts';

export const handler = consoleRoute(db(), async () => redirect(urlFor('console-users')));
