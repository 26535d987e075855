// GET /scim/v2/Groups/{id}?attributes=&excludedAttributes= (excludedAttributes=members skips the membership Query)
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { getGroup, groupHeaders, renderGroup, wantsMembers } from '../../shared/scim/groups.ts';
import { project } from '../../shared/scim/resource.ts';
import { GROUP_KIND } from '../../shared/scim/schema.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const group = await getGroup(database, principal(request).accountId, request.pathParameters.id ?? '', wantsMembers(request.query));
  return { status: 200, headers: groupHeaders(group.item), body: project(GROUP_KIND, renderGroup(group), request.query) };
});
