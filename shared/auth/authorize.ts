// The API key decision, shared by the Lambda authorizer and the local server: one BatchGetItem, then pure checks.
import { getKeyAndAccount, touchLastUsed, type Scope } from '../db/api-keys.ts';
import type { Db } from '../db/client.ts';
import { bearerToken, parseToken, secretMatches } from './api-key-token.ts';
import { ipAllowed } from './ip-allowlist.ts';

export type Decision =
  /** 401: no usable credentials. Never says which check failed. */
  | { effect: 'unauthenticated' }
  /** 403: a valid key, but the source address is outside the account's allowlist. */
  | { effect: 'forbidden'; accountId: string; reason: 'ip_not_allowed' }
  | { effect: 'allow'; accountId: string; keyId: string; ownerId: string; scopes: Scope[] };

export async function decide(db: Db, input: { authorization?: string; sourceIp: string; now?: Date }): Promise<Decision> {
  const now = input.now ?? new Date();
  const token = bearerToken(input.authorization);
  const parsed = token ? parseToken(token) : undefined;
  if (!parsed) return { effect: 'unauthenticated' };
  const { key, account } = await getKeyAndAccount(db, parsed.accountId, parsed.keyId);
  // Compare the secret before looking at any other property, and always in constant time.
  if (!key || !account || !secretMatches(parsed.secret, key.secretHash)) return { effect: 'unauthenticated' };
  if (key.revokedAt || !key.ownerActive || Date.parse(key.expiresAt) <= now.getTime()) return { effect: 'unauthenticated' };
  if (!ipAllowed(account.ipAllowlist, input.sourceIp)) {
    return { effect: 'forbidden', accountId: account.id, reason: 'ip_not_allowed' };
  }
  await touchLastUsed(db, key, now);
  return { effect: 'allow', accountId: account.id, keyId: key.id, ownerId: key.ownerId, scopes: key.scopes };
}
