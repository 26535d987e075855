// Audit events: who did what to which target, when, from where, with what outcome. They are written in the same
// transaction as the change they describe, so a change without its event (or the reverse) cannot happen.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import type { Db } from './client.ts';
import { ENTITY, auditKey } from './keys.ts';

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
