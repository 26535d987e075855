// OIDC login state, kept server-side between the authorization request and the callback: nonce, PKCE verifier, where to
// go afterwards, and the hash of a secret that rides in a short-lived cookie, so that the callback only completes in the
// browser that started the login (login CSRF). Consumed at most once (conditional delete).
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { isConditionFailure } from '../http/errors.ts';
import { ENTITY, oidcLoginStateKey } from '../db/keys.ts';

export const LOGIN_STATE_TTL_SECONDS = 600;
export const LOGIN_COOKIE = '__Host-oidc-login';

export interface LoginState {
  state: string;
  accountId: string;
  idpId: string;
  nonce: string;
  codeVerifier: string;
  returnTo?: string;
  test: boolean;
  bindingHash: string;
  expiresAt: string;
}

const hash = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** A new browser-binding secret: the cookie carries it, the state item its hash. */
export function newBinding(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: hash(secret) };
}

export function bindingMatches(state: LoginState, cookieSecret: string | undefined): boolean {
  if (!cookieSecret) return false;
  const presented = Buffer.from(hash(cookieSecret), 'hex');
  const stored = Buffer.from(state.bindingHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** 1 PutItem. */
export async function saveLoginState(db: Db, input: Omit<LoginState, 'expiresAt'>, now = new Date()): Promise<void> {
  const expires = new Date(now.getTime() + LOGIN_STATE_TTL_SECONDS * 1000);
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: {
        ...oidcLoginStateKey(input.accountId, input.state),
        entity: ENTITY.oidcLoginState,
        ...input,
        expiresAt: expires.toISOString(),
        ttl: Math.floor(expires.getTime() / 1000),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        version: 1,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * 1 DeleteItem (conditional, returning the old item): the state exists at most once, so a replayed callback finds
 * nothing. Expired items (TTL deletion lags) count as absent.
 */
export async function consumeLoginState(db: Db, accountId: string, state: string, now = new Date()): Promise<LoginState | undefined> {
  if (!/^[\w-]{16,128}$/.test(state)) return undefined;
  try {
    const result = await db.doc.send(
      new DeleteCommand({
        TableName: db.tableName,
        Key: oidcLoginStateKey(accountId, state),
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_OLD',
      }),
    );
    const item = result.Attributes as (LoginState & { entity: string }) | undefined;
    if (!item || item.entity !== ENTITY.oidcLoginState || Date.parse(item.expiresAt) <= now.getTime()) return undefined;
    return item;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

export function loginCookie(secret: string): string {
  return `${LOGIN_COOKIE}=${secret}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${LOGIN_STATE_TTL_SECONDS}`;
}

export function clearedLoginCookie(): string {
  return `${LOGIN_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

export function loginCookieValue(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === LOGIN_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}
