// Audit events: who did what to which target, when, from where, with what outcome. They are written in the same
// transaction as the change they describe, so a change without its event (or the reverse) cannot happen.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import type { Db } from './client.ts';
import { AUDIT_SK_PREFIX, ENTITY, accountPk, auditKey } from './keys.ts';
import { decodeCursor, encodeCursor } from './items.ts';

export interface Actor {
  type: 'apiKey' | 'user' | 'operator' | 'idp' | 'system';
  id: string;
}

export interface AuditEvent {
  accountId: string;
  /** Dotted action name, e.g. `apiKey.created`, `scim.user.created`, `login.failed`. */
  action: string;
  actor: Actor;
  target?: { type: string; id: string };
  outcome: 'success' | 'failure';
  /** For failures: a short machine-readable reason, never a secret or a signature detail. */
  reason?: string;
  sourceIp?: string;
  /** Extra non-secret facts (changed field names, IdP id, …). */
  details?: Record<string, unknown>;
}

const retentionDays = (): number => Number(process.env.AUDIT_RETENTION_DAYS ?? 365);

export function auditItem(event: AuditEvent, now = new Date()) {
  const id = randomBytes(8).toString('hex');
  const at = now.toISOString();
  return {
    ...auditKey(event.accountId, at, id),
    entity: ENTITY.auditEvent,
    id,
    at,
    ...event,
    ttl: Math.floor(now.getTime() / 1000) + retentionDays() * 86_400,
  };
}

/** The transaction item that records `event` alongside the change it describes. */
export function auditPut(db: Db, event: AuditEvent, now = new Date()) {
  return { Put: { TableName: db.tableName, Item: auditItem(event, now) } };
}

/** For events with no accompanying write (refused logins, refused requests). */
export async function recordAudit(db: Db, event: AuditEvent, now = new Date()): Promise<void> {
  await db.doc.send(new PutCommand({ TableName: db.tableName, Item: auditItem(event, now) }));
}

export interface AuditQuery {
  /** Action or action prefix, e.g. `login` matches `login.failed` and `login.succeeded`. */
  type?: string;
  actorId?: string;
  outcome?: 'success' | 'failure';
  /** ISO times, inclusive. */
  since?: string;
  until?: string;
  limit: number;
  cursor?: string;
}

/** Reads per page at most this many Query calls when filters discard events, then returns what it has plus a cursor. */
const MAX_QUERIES_PER_PAGE = 5;

/** Newest first. Time bounds are key conditions; type/actor/outcome are filters on those pages (bounded, see above). */
export async function listAuditEvents(db: Db, accountId: string, query: AuditQuery) {
  const pk = accountPk(accountId);
  const filters: string[] = [];
  const values: Record<string, unknown> = {
    ':pk': pk,
    ':from': `${AUDIT_SK_PREFIX}${query.since ?? ''}`,
    ':to': `${AUDIT_SK_PREFIX}${query.until ?? '9999'}\uffff`,
  };
  const names: Record<string, string> = {};
  if (query.type) {
    filters.push('(#action = :type OR begins_with(#action, :typePrefix))');
    names['#action'] = 'action';
    values[':type'] = query.type;
    values[':typePrefix'] = `${query.type}.`;
  }
  if (query.actorId) {
    filters.push('actor.id = :actor');
    values[':actor'] = query.actorId;
  }
  if (query.outcome) {
    filters.push('outcome = :outcome');
    values[':outcome'] = query.outcome;
  }
  const items: Record<string, unknown>[] = [];
  let start = decodeCursor(query.cursor, pk);
  for (let i = 0; i < MAX_QUERIES_PER_PAGE && items.length < query.limit; i++) {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: query.limit - items.length,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey as Record<string, string> | undefined;
    if (!start) break;
  }
  return {
    items: items.map((item) => {
      const { id, at, action, actor, target, outcome, reason, sourceIp, details } = item as Record<string, unknown>;
      return { id, at, action, actor, target, outcome, reason, sourceIp, details };
    }),
    nextCursor: encodeCursor(start),
  };
}
