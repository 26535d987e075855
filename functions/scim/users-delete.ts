// DELETE /scim/v2/Users/{id}: removes the user from the account (memberships too; their API keys stop working) → 204.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { deleteUser } from '../../shared/scim/users.ts';

const database = db();

export const handler = route('scim', async (request) => {
  await deleteUser(
    database,
    principal(request).accountId,
    request.pathParameters.id ?? '',
    request.headers,
    actedBy(request, 'scim.user.deleted'),
  );
  return { status: 204 };
});
