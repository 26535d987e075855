// GET /api/v1/users?limit=&cursor=: the account's people with their source (invite / JIT / SCIM), state and role.
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { listUsers } from '../../shared/db/users.ts';
import { route } from '../../shared/http/handler.ts';
import { intParam } from '../../shared/http/validate.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const limit = intParam(request.query.limit, 'limit', { min: 1, max: 100, default: 50 });
  const page = await listUsers(database, principal(request).accountId, { limit, cursor: request.query.cursor });
  return { status: 200, body: page };
});
