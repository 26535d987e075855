// PUT /scim/v2/Groups/{id}: full replace, members included (Okta sends the whole member list).
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { groupHeaders, renderGroup, replaceGroup } from '../../shared/scim/groups.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const group = await replaceGroup(
    database,
    principal(request).accountId,
    request.pathParameters.id ?? '',
    request.body,
    request.headers,
    actedBy(request, 'scim.group.replaced'),
  );
  return { status: 200, headers: groupHeaders(group.item), body: renderGroup(group) };
});
