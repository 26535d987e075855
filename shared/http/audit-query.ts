// The audit-log filters from query parameters, checked before any I/O; shared by `GET /api/v1/audit-events` and the
// console's Audit log page so both accept exactly the same filters.
import type { AuditQuery } from '../db/audit.ts';
import { BadRequest } from './errors.ts';
import { intParam } from './validate.ts';

function isoParam(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new BadRequest(`${name} must be an ISO 8601 time`);
  return new Date(time).toISOString();
}

/** `type`, `actor`, `outcome`, `since`, `until`, `limit`, `cursor`; empty values count as absent (HTML forms send them). */
export function auditQueryFromParams(query: Record<string, string>, limits = { max: 200, default: 50 }): AuditQuery {
  const outcome = query.outcome || undefined;
  if (outcome !== undefined && outcome !== 'success' && outcome !== 'failure') {
    throw new BadRequest('outcome must be success or failure');
  }
  if (query.type !== undefined && query.type !== '' && !/^[A-Za-z][\w.]{0,80}$/.test(query.type)) {
    throw new BadRequest('type is not an event type');
  }
  return {
    type: query.type || undefined,
    actorId: query.actor || undefined,
    outcome,
    since: isoParam(query.since, 'since'),
    until: isoParam(query.until, 'until'),
    limit: intParam(query.limit, 'limit', { min: 1, max: limits.max, default: limits.default }),
    cursor: query.cursor || undefined,
  };
}
