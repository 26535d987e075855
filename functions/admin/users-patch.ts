// PATCH /api/v1/users/{id} {active?, role?}: disabling a user also stops their API keys (same transaction).
import * as v from 'valibot';
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { getUser, setUserActive, updateUserRole } from '../../shared/db/users.ts';
import { NotFound } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';

const database = db();
const Body = v.pipe(
  v.strictObject({ active: v.optional(v.boolean()), role: v.optional(v.picklist(['admin', 'member'])) }),
  v.check((b) => b.active !== undefined || b.role !== undefined, 'Give active, role, or both'),
);

export const handler = route('admin', async (request) => {
  const body = parseWith(Body, request.body);
  const { accountId } = principal(request);
  const userId = request.pathParameters.id ?? '';
  if (body.role !== undefined) await updateUserRole(database, accountId, userId, body.role, actedBy(request, 'user.roleChanged'));
  if (body.active !== undefined) {
    await setUserActive(database, accountId, userId, body.active, actedBy(request, body.active ? 'user.enabled' : 'user.disabled'));
  }
  const user = await getUser(database, accountId, userId);
  if (!user) throw new NotFound('No such user');
  return { status: 200, body: user };
});
