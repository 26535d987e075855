// GET /scim/v2/Groups?filter=&startIndex=&count=&cursor=&sortBy=&sortOrder=&attributes=&excludedAttributes=
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { listGroups } from '../../shared/scim/groups.ts';
import { parseListQuery } from '../../shared/scim/http.ts';
import { GROUP_KIND } from '../../shared/scim/schema.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const query = parseListQuery(GROUP_KIND, request.query);
  return { status: 200, body: await listGroups(database, principal(request).accountId, query) };
});
