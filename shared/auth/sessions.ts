// Dashboard sessions: a server-side item per session (hash of the cookie secret, TTL) and a `__Host-` cookie that is
// HttpOnly, Secure, SameSite=Lax. A session lives until its absolute timeout, or until it has been idle too long, and
// only while its user is active — so disabling a user ends their sessions without touching the session items.
import { BatchGetCommand, DeleteCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { auditPut, type AuditEvent } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { ENTITY, sessionKey, userKey, userSessionsIndexKey } from '../db/keys.ts';
import type { BaseItem } from '../db/items.ts';
import type { UserItem } from '../db/users.ts';

export const SESSION_COOKIE = '__Host-session';
const idleSeconds = (): number => Number(process.env.SESSION_IDLE_SECONDS ?? 3600);
const absoluteSeconds = (): number => Number(process.env.SESSION_ABSOLUTE_SECONDS ?? 12 * 3600);
/** The idle clock is written at most this often, so a busy user does not cost a write per request. */
const TOUCH_GRANULARITY_MS = 60_000;

export interface SessionItem extends BaseItem {
  id: string;
  accountId: string;
  userId: string;
  secretHash: string;
  method: 'saml' | 'oidc' | 'password';
  idpId?: string;
  lastSeenAt: string;
  expiresAt: string;
  sourceIp?: string;
  gsi2pk: string;
  gsi2sk: string;
}

const hash = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export interface NewSession {
  accountId: string;
  userId: string;
  method: SessionItem['method'];
  idpId?: string;
  sourceIp?: string;
}

/** Creates the session and records the login event in one transaction; returns the cookie value (shown only here). */
export async function createSession(db: Db, input: NewSession, audit: AuditEvent, now = new Date()): Promise<string> {
  const id = randomBytes(16).toString('hex');
  const secret = randomBytes(32).toString('hex');
  const at = now.toISOString();
  const expires = new Date(now.getTime() + absoluteSeconds() * 1000);
  const item: SessionItem = {
    ...sessionKey(input.accountId, id),
    ...userSessionsIndexKey(input.accountId, input.userId, id),
    entity: ENTITY.session,
    id,
    ...input,
    secretHash: hash(secret),
    lastSeenAt: at,
    expiresAt: expires.toISOString(),
    ttl: Math.floor(expires.getTime() / 1000),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await db.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        auditPut(db, { ...audit, target: { type: 'user', id: input.userId } }, now),
      ],
    }),
  );
  // The user id rides in the cookie (it is not a secret) so validation reads session and user in one call.
  return `${input.accountId}.${input.userId}.${id}.${secret}`;
}

interface ParsedCookie {
  accountId: string;
  userId: string;
  id: string;
  secret: string;
}

function parseCookieValue(value: string): ParsedCookie | undefined {
  const match = /^([0-9a-z-]{1,64})\.([0-9a-z-]{1,64})\.([0-9a-f]{32})\.([0-9a-f]{64})$/.exec(value);
  if (!match) return undefined;
  const [, accountId, userId, id, secret] = match as unknown as [string, string, string, string, string];
  return { accountId, userId, id, secret };
}

/** The session cookie's value from a Cookie header, if present. */
export function sessionCookieValue(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** 1 BatchGetItem (session + user); undefined for anything not a live session of an active user. */
export async function validateSession(
  db: Db,
  cookieValue: string | undefined,
  now = new Date(),
): Promise<{ session: SessionItem; user: UserItem } | undefined> {
  const parsed = cookieValue ? parseCookieValue(cookieValue) : undefined;
  if (!parsed) return undefined;
  const sKey = sessionKey(parsed.accountId, parsed.id);
  const uKey = userKey(parsed.accountId, parsed.userId);
  const result = await db.doc.send(
    new BatchGetCommand({ RequestItems: { [db.tableName]: { Keys: [sKey, uKey], ConsistentRead: true } } }),
  );
  const items = result.Responses?.[db.tableName] ?? [];
  const session = items.find((i) => i.entity === ENTITY.session) as SessionItem | undefined;
  const user = items.find((i) => i.entity === ENTITY.user) as UserItem | undefined;
  if (!session || !user || session.userId !== user.id) return undefined;
  const presented = Buffer.from(hash(parsed.secret), 'hex');
  const stored = Buffer.from(session.secretHash, 'hex');
  if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) return undefined;
  if (Date.parse(session.expiresAt) <= now.getTime()) return undefined;
  if (Date.parse(session.lastSeenAt) + idleSeconds() * 1000 <= now.getTime()) return undefined;
  if (!user.active) return undefined;
  if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_GRANULARITY_MS) {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: sKey,
        UpdateExpression: 'SET lastSeenAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    ).catch(() => undefined);
  }
  return { session, user };
}

export async function deleteSession(db: Db, cookieValue: string | undefined): Promise<void> {
  const parsed = cookieValue ? parseCookieValue(cookieValue) : undefined;
  if (!parsed) return;
  await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: sessionKey(parsed.accountId, parsed.id) }));
}

export function sessionCookie(value: string): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${absoluteSeconds()}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}
