// GET /api/v1/audit-events?type=&actor=&outcome=&since=&until=&limit=&cursor= — newest first, cursor-paginated.
import { principal } from '../../shared/auth/principal.ts';
import { listAuditEvents } from '../../shared/db/audit.ts';
import { db } from '../../shared/db/client.ts';
import { auditQueryFromParams } from '../../shared/http/audit-query.ts';
import { route } from '../../shared/http/handler.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const query = auditQueryFromParams(request.query);
  const page = await listAuditEvents(database, principal(request).accountId, query);
  return { status: 200, body: page };
});
