// POST /scim/v2/Users: a user provisioned by the IdP (source `scim`); userName must be in a verified domain.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { createUser, renderUser, userHeaders } from '../../shared/scim/users.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const user = await createUser(database, principal(request).accountId, request.body, actedBy(request, 'scim.user.created'));
  return { status: 201, headers: userHeaders(user, true), body: renderUser(user) };
});
