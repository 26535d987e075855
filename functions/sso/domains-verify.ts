// POST /api/v1/domains/{domain}/verify: looks up the TXT record and, when it is there, verifies and claims the domain
// (verifyDomain in shared/sso/idp-admin.ts, which the console uses too).
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { verifyDomain } from '../../shared/sso/idp-admin.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const domain = await verifyDomain(database, principal(request).accountId, request.pathParameters.domain ?? '', (action) =>
    actedBy(request, action),
  );
  return { status: 200, body: domain };
});
