// DELETE /api/v1/api-keys/{id}: revokes at once (a cached authorizer decision lives at most AUTHORIZER_CACHE_TTL_SECONDS).
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { revokeApiKey } from '../../shared/db/api-keys.ts';
import { db } from '../../shared/db/client.ts';
import { NotFound } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const keyId = request.pathParameters.id;
  if (!keyId) throw new NotFound('No such API key');
  await revokeApiKey(database, principal(request).accountId, keyId, actedBy(request, 'apiKey.revoked'));
  return { status: 204 };
});
