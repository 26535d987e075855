// GET /api/v1/domains: the account's domains with their TXT challenge and verification state.
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { listDomains } from '../../shared/db/domains.ts';
import { route } from '../../shared/http/handler.ts';

const database = db();

export const handler = route('admin', async (request) => {
  return { status: 200, body: { items: await listDomains(database, principal(request).accountId) } };
});
