// GET /api/v1/account/ip-allowlist
import { principal } from '../../shared/auth/principal.ts';
import { requireAccount } from '../../shared/db/accounts.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const account = await requireAccount(database, principal(request).accountId);
  return { status: 200, body: { cidrs: account.ipAllowlist } };
});
