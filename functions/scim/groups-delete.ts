// DELETE /scim/v2/Groups/{id} → 204; memberships go with it (users stay).
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { deleteGroup } from '../../shared/scim/groups.ts';

const database = db();

export const handler = route('scim', async (request) => {
  await deleteGroup(
    database,
    principal(request).accountId,
    request.pathParameters.id ?? '',
    request.headers,
    actedBy(request, 'scim.group.deleted'),
  );
  return { status: 204 };
});
