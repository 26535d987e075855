// GET /scim/v2/Users?filter=&startIndex=&count=&cursor=&sortBy=&sortOrder=&attributes=&excludedAttributes=
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { parseListQuery } from '../../shared/scim/http.ts';
import { USER_KIND } from '../../shared/scim/schema.ts';
import { listUsers } from '../../shared/scim/users.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const query = parseListQuery(USER_KIND, request.query);
  return { status: 200, body: await listUsers(database, principal(request).accountId, query) };
});
