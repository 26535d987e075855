// POST /console/users (form: email, role): invites a user, exactly as POST /api/v1/users does (same schema, same audit
// event).
import { checkForm } from '../../shared/console/form.ts';
import { consoleRoute, redirect } from '../../shared/console/route.ts';
import { usersPage } from '../../shared/console/users-page.ts';
import { db } from '../../shared/db/client.ts';
import { createUser } from '../../shared/db/users.ts';
import { Conflict } from '../../shared/http/errors.ts';
import { urlFor } from '../../shared/http/url.ts';
import { InviteUserBody } from '../../shared/http/user-schemas.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  const form = checkForm(InviteUserBody, ctx.form);
  if (!form.ok) return usersPage(database, ctx, { status: 400, error: form.error, draft: ctx.form });
  try {
    await createUser(
      database,
      ctx.account.id,
      { email: form.value.email, role: form.value.role, displayName: form.value.displayName, source: 'invite' },
      ctx.audit('user.invited'),
    );
  } catch (error) {
    if (error instanceof Conflict) return usersPage(database, ctx, { status: 409, error: error.detail, draft: ctx.form });
    throw error;
  }
  return redirect(`${urlFor('console-users')}?notice=invited`);
});
