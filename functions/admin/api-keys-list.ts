// GET /api/v1/api-keys?limit=&cursor=&includeRevoked=: prefixes, owners, scopes, dates — never secrets or hashes.
import { principal } from '../../shared/auth/principal.ts';
import { listApiKeys } from '../../shared/db/api-keys.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { intParam } from '../../shared/http/validate.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const limit = intParam(request.query.limit, 'limit', { min: 1, max: 100, default: 50 });
  const page = await listApiKeys(database, principal(request).accountId, {
    limit,
    cursor: request.query.cursor,
    includeRevoked: request.query.includeRevoked === 'true',
  });
  return { status: 200, body: page };
});
