// GET /api/v1/idps: the account's identity providers.
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { listIdps } from '../../shared/db/idps.ts';
import { route } from '../../shared/http/handler.ts';
import { idpView } from '../../shared/sso/idp-view.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const idps = await listIdps(database, principal(request).accountId);
  return { status: 200, body: { items: idps.map(idpView) } };
});
