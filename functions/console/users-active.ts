// POST /console/users/{id}/active (form: active=true|false): disables or enables a user and their API keys in one
// transaction, exactly as PATCH /api/v1/users/{id} does (same audit events). An admin cannot disable themselves here.
import { consoleRoute, redirect } from '../../shared/console/route.ts';
import { usersPage } from '../../shared/console/users-page.ts';
import { db } from '../../shared/db/client.ts';
import { setUserActive } from '../../shared/db/users.ts';
import { urlFor } from '../../shared/http/url.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  const userId = ctx.request.pathParameters.id ?? '';
  const value = ctx.form.active;
  if (value !== 'true' && value !== 'false') return usersPage(database, ctx, { status: 400, error: 'active must be true or false' });
  const active = value === 'true';
  if (!active && userId === ctx.user.id) {
    return usersPage(database, ctx, { status: 400, error: 'You cannot disable yourself; ask another admin.' });
  }
  await setUserActive(database, ctx.account.id, userId, active, ctx.audit(active ? 'user.enabled' : 'user.disabled'));
  return redirect(`${urlFor('console-users')}?notice=${active ? 'enabled' : 'disabled'}`);
});
