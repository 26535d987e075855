// PUT /scim/v2/Users/{id}: replaces the user's attributes (read-only ones in the body are ignored); If-Match honoured.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { renderUser, replaceUser, userHeaders } from '../../shared/scim/users.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const user = await replaceUser(
    database,
    principal(request).accountId,
    request.pathParameters.id ?? '',
    request.body,
    request.headers,
    actedBy(request, 'scim.user.replaced'),
  );
  return { status: 200, headers: userHeaders(user), body: renderUser(user) };
});
