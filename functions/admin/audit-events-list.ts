// GET /api/v1/audit-events?type=&actor=&outcome=&since=&until=&limit=&cursor= — newest first, cursor-paginated.
import { principal } from '../../shared/auth/principal.ts';
import { listAuditEvents } from '../../shared/db/audit.ts';
import { db } from '../../shared/db/client.ts';
import { BadRequest } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { intParam } from '../../shared/http/validate.ts';

const database = db();

function isoParam(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new BadRequest(`${name} must be an ISO 8601 time`);
  return new Date(time).toISOString();
}

export const handler = route('admin', async (request) => {
  const { query } = request;
  const outcome = query.outcome;
  if (outcome !== undefined && outcome !== 'success' && outcome !== 'failure') {
    throw new BadRequest('outcome must be success or failure');
  }
  if (query.type !== undefined && !/^[A-Za-z][\w.]{0,80}$/.test(query.type)) throw new BadRequest('type is not an event type');
  const page = await listAuditEvents(database, principal(request).accountId, {
    type: query.type || undefined,
    actorId: query.actor || undefined,
    outcome,
    since: isoParam(query.since, 'since'),
    until: isoParam(query.until, 'until'),
    limit: intParam(query.limit, 'limit', { min: 1, max: 200, default: 50 }),
    cursor: query.cursor,
  });
  return { status: 200, body: page };
});
