// API key tokens: `ik_<accountId>_<keyId>_<secret>`. The account and key id are in clear so verification is one read
// by key; only SHA-256(secret) is stored. The secret is 256 random bits, so a fast hash is the right one (a slow password
// hash would add nothing against guessing and cost every request); comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'ik';
const ID_PATTERN = /^[0-9a-z-]{1,64}$/;
const SECRET_PATTERN = /^[0-9a-f]{64}$/;

export interface ParsedToken {
  accountId: string;
  keyId: string;
  secret: string;
}

export function newKeyId(): string {
  return randomBytes(10).toString('hex');
}

export function mintToken(accountId: string, keyId: string): { token: string; secretHash: string; prefix: string } {
  const secret = randomBytes(32).toString('hex');
  const prefix = `${PREFIX}_${accountId}_${keyId}`;
  return { token: `${prefix}_${secret}`, secretHash: hashSecret(secret), prefix };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Parses a token's shape; returns undefined for anything malformed, without saying why. */
export function parseToken(token: string): ParsedToken | undefined {
  const parts = token.split('_');
  if (parts.length !== 4) return undefined;
  const [prefix, accountId, keyId, secret] = parts as [string, string, string, string];
  if (prefix !== PREFIX || !ID_PATTERN.test(accountId) || !ID_PATTERN.test(keyId) || !SECRET_PATTERN.test(secret)) {
    return undefined;
  }
  return { accountId, keyId, secret };
}

/** Constant-time comparison of the presented secret's hash with the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Extracts the bearer token from an Authorization header value (scheme case-insensitive). */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
