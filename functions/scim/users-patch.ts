// PATCH /scim/v2/Users/{id}: RFC 7644 §3.5.2 plus the Okta and Entra dialects (shared/scim/patch.ts).
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { parsePatchBody } from '../../shared/scim/patch.ts';
import { patchUser, renderUser, userHeaders } from '../../shared/scim/users.ts';

const database = db();

export const handler = route('scim', async (request) => {
  const operations = parsePatchBody(request.body);
  const user = await patchUser(
    database,
    principal(request).accountId,
    request.pathParameters.id ?? '',
    operations,
    request.headers,
    actedBy(request, 'scim.user.patched'),
  );
  return { status: 200, headers: userHeaders(user), body: renderUser(user) };
});
