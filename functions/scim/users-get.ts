// GET /scim/v2/Users/{id}?attributes=&excludedAttributes=
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { project } from '../../shared/scim/resource.ts';
import { USER_KIND } from '../../shared/scim/schema.ts';
import { getUser, renderUser, userHeaders } from '../../shared/scim/users.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const user = await getUser(database, principal(request).accountId, request.pathParameters.id ?? '');
  return { status: 200, headers: userHeaders(user), body: project(USER_KIND, renderUser(user), request.query) };
});
