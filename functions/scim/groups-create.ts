// POST /scim/v2/Groups: displayName unique per account; members must be users of the account.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { createGroup, groupHeaders, renderGroup } from '../../shared/scim/groups.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const group = await createGroup(database, principal(request).accountId, request.body, actedBy(request, 'scim.group.created'));
  return { status: 201, headers: groupHeaders(group.item, true), body: renderGroup(group) };
});
