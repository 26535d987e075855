// API keys: only SHA-256 of the secret is stored. The item carries its owner's state so one read decides a request.
import { BatchGetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LAST_USED_GRANULARITY_SECONDS } from '../config.ts';
import { BadRequest, NotFound, failedConditionIndexes, isConditionFailure } from '../http/errors.ts';
import { nowIso } from '../ids.ts';
import { mintToken, newKeyId } from '../auth/api-key-token.ts';
import type { AccountItem } from './accounts.ts';
import type { Db } from './client.ts';
import { auditPut, type AuditEvent } from './audit.ts';
import { API_KEY_SK_PREFIX, ENTITY, accountKey, accountPk, apiKeyKey } from './keys.ts';
import { decodeCursor, encodeCursor, type BaseItem } from './items.ts';
import { ownerKey } from './users.ts';

export type Scope = 'scim' | 'admin';
export const SCOPES: readonly Scope[] = ['scim', 'admin'];

export interface ApiKeyItem extends BaseItem {
  id: string;
  accountId: string;
  /** The non-secret part of the token, shown in lists. */
  prefix: string;
  secretHash: string;
  description: string;
  ownerId: string;
  /** Mirrors the owner's state; set false in the same transaction that disables the owner. */
  ownerActive: boolean;
  scopes: Scope[];
  expiresAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

/** What a list or a create shows: never the hash. */
export type ApiKey = Omit<ApiKeyItem, 'pk' | 'sk' | 'entity' | 'secretHash' | 'ttl' | 'version' | 'updatedAt'>;

export function toApiKey(item: ApiKeyItem): ApiKey {
  const { id, accountId, prefix, description, ownerId, ownerActive, scopes, createdAt, expiresAt, lastUsedAt, revokedAt } =
    item;
  return { id, accountId, prefix, description, ownerId, ownerActive, scopes, createdAt, expiresAt, lastUsedAt, revokedAt };
}

export interface NewApiKey {
  description: string;
  ownerId: string;
  scopes: Scope[];
  expiresAt: Date;
}

/** Builds the key item and its token; the token exists only in the return value. */
export function newApiKeyItem(accountId: string, input: NewApiKey, now = nowIso()): { item: ApiKeyItem; token: string } {
  const id = newKeyId();
  const { token, secretHash, prefix } = mintToken(accountId, id);
  const item: ApiKeyItem = {
    ...apiKeyKey(accountId, id),
    entity: ENTITY.apiKey,
    id,
    accountId,
    prefix,
    secretHash,
    description: input.description,
    ownerId: input.ownerId,
    ownerActive: true,
    scopes: input.scopes,
    expiresAt: input.expiresAt.toISOString(),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  return { item, token };
}

/**
 * Creates a key for an active owner in one transaction: the key, and an update of the owner that requires it to be
 * active and bumps its version (so a concurrent disable of the owner cannot miss the new key).
 */
export async function createApiKey(
  db: Db,
  accountId: string,
  input: NewApiKey,
  audit?: AuditEvent,
): Promise<{ key: ApiKey; token: string }> {
  const { item, token } = newApiKeyItem(accountId, input);
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Update: {
              TableName: db.tableName,
              Key: ownerKey(accountId, input.ownerId),
              UpdateExpression: 'ADD version :one',
              ConditionExpression: 'attribute_exists(pk) AND active = :true',
              ExpressionAttributeValues: { ':one': 1, ':true': true },
            },
          },
          ...(audit ? [auditPut(db, { ...audit, target: { type: 'apiKey', id: item.id } })] : []),
        ],
      }),
    );
  } catch (error) {
    if (failedConditionIndexes(error).includes(1)) {
      throw new BadRequest('ownerId must name an active user or service user of this account', 'invalid_owner');
    }
    throw error;
  }
  return { key: toApiKey(item), token };
}

export async function listApiKeys(
  db: Db,
  accountId: string,
  options: { limit: number; cursor?: string; includeRevoked?: boolean },
): Promise<{ items: ApiKey[]; nextCursor?: string }> {
  const pk = accountPk(accountId);
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...(options.includeRevoked ? {} : { FilterExpression: 'attribute_not_exists(revokedAt)' }),
      ExpressionAttributeValues: { ':pk': pk, ':prefix': API_KEY_SK_PREFIX },
      Limit: options.limit,
      ExclusiveStartKey: decodeCursor(options.cursor, pk),
    }),
  );
  return {
    items: (result.Items ?? []).map((item) => toApiKey(item as ApiKeyItem)),
    nextCursor: encodeCursor(result.LastEvaluatedKey),
  };
}

/** Revoked keys are kept (for the audit trail and the list) until the TTL removes them. */
const REVOKED_KEY_RETENTION_SECONDS = 90 * 24 * 3600;

export async function revokeApiKey(
  db: Db,
  accountId: string,
  keyId: string,
  audit: AuditEvent,
  now = new Date(),
): Promise<void> {
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: db.tableName,
              Key: apiKeyKey(accountId, keyId),
              UpdateExpression: 'SET revokedAt = :now, updatedAt = :now, #ttl = :ttl ADD version :one',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
              ExpressionAttributeNames: { '#ttl': 'ttl' },
              ExpressionAttributeValues: {
                ':now': now.toISOString(),
                ':ttl': Math.floor(now.getTime() / 1000) + REVOKED_KEY_RETENTION_SECONDS,
                ':one': 1,
              },
            },
          },
          auditPut(db, { ...audit, target: { type: 'apiKey', id: keyId } }, now),
        ],
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFound('No such API key');
    throw error;
  }
}

/** The authorizer's one read: the key and its account, in a single BatchGetItem (strongly consistent). */
export async function getKeyAndAccount(
  db: Db,
  accountId: string,
  keyId: string,
): Promise<{ key?: ApiKeyItem; account?: AccountItem }> {
  const result = await db.doc.send(
    new BatchGetCommand({
      RequestItems: {
        [db.tableName]: { Keys: [apiKeyKey(accountId, keyId), accountKey(accountId)], ConsistentRead: true },
      },
    }),
  );
  const items = result.Responses?.[db.tableName] ?? [];
  return {
    key: items.find((i) => i.entity === ENTITY.apiKey) as ApiKeyItem | undefined,
    account: items.find((i) => i.entity === ENTITY.account) as AccountItem | undefined,
  };
}

/** Records last use, at most once per key per LAST_USED_GRANULARITY_SECONDS; losing the race is fine. */
export async function touchLastUsed(db: Db, key: ApiKeyItem, now: Date): Promise<void> {
  const last = key.lastUsedAt ? Date.parse(key.lastUsedAt) : 0;
  if (now.getTime() - last < LAST_USED_GRANULARITY_SECONDS * 1000) return;
  const threshold = new Date(now.getTime() - LAST_USED_GRANULARITY_SECONDS * 1000).toISOString();
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: apiKeyKey(key.accountId, key.id),
        UpdateExpression: 'SET lastUsedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :threshold)',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':threshold': threshold },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Does the account hold a usable `scim` key (not revoked, not expired, owner active)? 1 Query per page of keys. */
export async function hasLiveScimKey(db: Db, accountId: string, now = new Date()): Promise<boolean> {
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'contains(scopes, :scim) AND attribute_not_exists(revokedAt) AND expiresAt > :now AND ownerActive = :true',
        ExpressionAttributeValues: {
          ':pk': accountPk(accountId),
          ':prefix': API_KEY_SK_PREFIX,
          ':scim': 'scim',
          ':now': now.toISOString(),
          ':true': true,
        },
        ProjectionExpression: 'id',
        ExclusiveStartKey: start,
      }),
    );
    if ((result.Items ?? []).length > 0) return true;
    start = result.LastEvaluatedKey;
  } while (start);
  return false;
}
