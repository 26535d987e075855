// PATCH /scim/v2/Groups/{id}: rename and membership changes → 204 (Okta and Entra expect no body).
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { groupHeaders, patchGroup } from '../../shared/scim/groups.ts';
import { parsePatchBody } from '../../shared/scim/patch.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const operations = parsePatchBody(request.body);
  const group = await patchGroup(
    database,
    principal(request).accountId,
    request.pathParameters.id ?? '',
    operations,
    request.headers,
    actedBy(request, 'scim.group.patched'),
  );
  return { status: 204, headers: groupHeaders(group.item) };
});
