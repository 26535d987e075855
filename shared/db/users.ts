// Users of an account: people (signed in by SSO, password, or provisioned by SCIM) and service users (own API keys).
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound, PreconditionFailed, failedConditionIndexes, isConditionFailure } from '../http/errors.ts';
import { newId, nowIso } from '../ids.ts';
import { auditPut, type AuditEvent } from './audit.ts';
import type { Db } from './client.ts';
import {
  API_KEY_SK_PREFIX,
  ENTITY,
  USER_SK_PREFIX,
  accountKey,
  accountPk,
  apiKeyKey,
  normaliseEmail,
  serviceUserKey,
  sessionKey,
  userEmailIndexKey,
  userEmailKey,
  userExternalIdIndexKey,
  userKey,
  type ItemKey,
  userSessionsIndexPk,
} from './keys.ts';
import { decodeCursor, encodeCursor, stripKeys, type BaseItem } from './items.ts';

export type Role = 'admin' | 'member';
export type UserSource = 'invite' | 'jit' | 'scim' | 'operator';

export interface UserItem extends BaseItem {
  id: string;
  accountId: string;
  email: string;
  emailLower: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  role: Role;
  active: boolean;
  source: UserSource;
  /** argon2id hash; only for users who had a password before SSO. */
  passwordHash?: string;
  /** Protocol-specific attributes that do not drive the dashboard (SCIM externalId, emails, enterprise extension, …). */
  profile?: Record<string, unknown>;
  gsi1pk: string;
  gsi1sk: string;
}

export type User = Omit<UserItem, 'pk' | 'sk' | 'gsi1pk' | 'gsi1sk' | 'entity' | 'ttl' | 'passwordHash'> & {
  hasPassword: boolean;
};

export interface ServiceUserItem extends BaseItem {
  id: string;
  accountId: string;
  name: string;
  active: boolean;
}

export const SERVICE_USER_ID_PREFIX = 'svc-';

export function toUser(item: UserItem): User {
  const { passwordHash, ...rest } = stripKeys(item);
  return { ...rest, hasPassword: passwordHash !== undefined };
}

export interface NewUser {
  email: string;
  role: Role;
  source: UserSource;
  active?: boolean;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  passwordHash?: string;
  profile?: Record<string, unknown>;
}

export function newUserItem(accountId: string, input: NewUser, id = newId(), now = nowIso()): UserItem {
  return {
    ...userKey(accountId, id),
    ...userEmailIndexKey(accountId, input.email),
    entity: ENTITY.user,
    id,
    accountId,
    email: input.email,
    emailLower: normaliseEmail(input.email),
    displayName: input.displayName,
    givenName: input.givenName,
    familyName: input.familyName,
    role: input.role,
    active: input.active ?? true,
    source: input.source,
    passwordHash: input.passwordHash,
    profile: input.profile,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The transaction items that create a user: the user, its email claim, and the account's counter. */
export function createUserWrites(db: Db, item: UserItem) {
  return [
    { Put: { TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: db.tableName,
        Item: { ...userEmailKey(item.accountId, item.email), entity: ENTITY.userEmail, userId: item.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: db.tableName,
        Key: accountKey(item.accountId),
        UpdateExpression: 'ADD userCount :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
  ];
}

/** Creates a person user. Email uniqueness (case-insensitive) is enforced by the claim item in the same transaction. */
export async function createUser(db: Db, accountId: string, input: NewUser, audit: AuditEvent): Promise<User> {
  const item = newUserItem(accountId, input);
  await writeNewUser(db, item, audit, 'email');
  return toUser(item);
}

/**
 * Writes a new user in 1 TransactWriteItems (user, email claim, counter, audit event); a taken email is 409
 * `email_taken` (the message names it as `label`: "email" or SCIM's "userName"), a missing account 404.
 */
async function writeNewUser(db: Db, item: UserItem, audit: AuditEvent, label: string): Promise<void> {
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [...createUserWrites(db, item), auditPut(db, { ...audit, target: { type: 'user', id: item.id } })],
      }),
    );
  } catch (error) {
    const failed = failedConditionIndexes(error);
    if (failed.includes(1)) throw new Conflict(`A user with ${label} ${item.email} already exists`, 'email_taken');
    if (failed.includes(2)) throw new NotFound('No such account');
    throw error;
  }
}

export async function getUserItem(db: Db, accountId: string, userId: string): Promise<UserItem | undefined> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: userKey(accountId, userId) }));
  return result.Item as UserItem | undefined;
}

export async function getUser(db: Db, accountId: string, userId: string): Promise<User | undefined> {
  const item = await getUserItem(db, accountId, userId);
  return item ? toUser(item) : undefined;
}

export async function getUserItemByEmail(db: Db, accountId: string, email: string): Promise<UserItem | undefined> {
  const key = userEmailIndexKey(accountId, email);
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
      ExpressionAttributeValues: { ':pk': key.gsi1pk, ':sk': key.gsi1sk },
      Limit: 1,
    }),
  );
  return result.Items?.[0] as UserItem | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export async function listUsers(db: Db, accountId: string, options: { limit: number; cursor?: string }): Promise<Page<User>> {
  const pk = accountPk(accountId);
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': USER_SK_PREFIX },
      Limit: options.limit,
      ExclusiveStartKey: decodeCursor(options.cursor, pk),
    }),
  );
  return {
    items: (result.Items ?? []).map((item) => toUser(item as UserItem)),
    nextCursor: encodeCursor(result.LastEvaluatedKey),
  };
}

/** The ids of the API keys an owner holds (an account has few keys; one Query reads them all). */
export async function ownedKeyIds(db: Db, accountId: string, ownerId: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'ownerId = :owner',
        ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': API_KEY_SK_PREFIX, ':owner': ownerId },
        ProjectionExpression: 'id',
        ExclusiveStartKey: start,
      }),
    );
    ids.push(...(result.Items ?? []).map((item) => String(item.id)));
    start = result.LastEvaluatedKey;
  } while (start);
  return ids;
}

/**
 * Enables or disables a person user. Their API keys carry the owner's state (so the authorizer needs no extra read) and
 * change with the user in one transaction, conditional on the user's version: creating a key bumps the owner's version,
 * so a key minted between our read and our write makes the write fail and we read again. With `expectedVersion`
 * (If-Match), a concurrent change is the caller's 412 instead.
 */
export async function setUserActive(
  db: Db,
  accountId: string,
  userId: string,
  active: boolean,
  audit: AuditEvent,
  expectedVersion?: number,
): Promise<User> {
  for (let attempt = 0; ; attempt++) {
    const current = await getUserItem(db, accountId, userId);
    if (!current) throw new NotFound('No such user');
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw new PreconditionFailed();
    const keyIds = await ownedKeyIds(db, accountId, userId);
    const now = nowIso();
    try {
      await db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: db.tableName,
                Key: userKey(accountId, userId),
                UpdateExpression: 'SET active = :active, updatedAt = :now ADD version :one',
                ConditionExpression: 'version = :read',
                ExpressionAttributeValues: { ':active': active, ':now': now, ':one': 1, ':read': current.version },
              },
            },
            ...keyIds.map((keyId) => ({
              Update: {
                TableName: db.tableName,
                Key: apiKeyKey(accountId, keyId),
                UpdateExpression: 'SET ownerActive = :active',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':active': active },
              },
            })),
            auditPut(db, { ...audit, target: { type: 'user', id: userId }, details: { ...audit.details, active } }),
          ],
        }),
      );
      return toUser({ ...current, active, updatedAt: now, version: current.version + 1 });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (expectedVersion !== undefined) throw new PreconditionFailed();
      if (attempt >= 4) throw error;
    }
  }
}

export async function createServiceUser(db: Db, accountId: string, name: string): Promise<ServiceUserItem> {
  const now = nowIso();
  const id = `${SERVICE_USER_ID_PREFIX}${newId()}`;
  const item: ServiceUserItem = {
    ...serviceUserKey(accountId, id),
    entity: ENTITY.serviceUser,
    id,
    accountId,
    name,
    active: true,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await db.doc.send(new PutCommand({ TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  return item;
}

/** The item key of a key owner: service users and people live under different sort-key prefixes. */
export function ownerKey(accountId: string, ownerId: string) {
  return ownerId.startsWith(SERVICE_USER_ID_PREFIX) ? serviceUserKey(accountId, ownerId) : userKey(accountId, ownerId);
}

export async function updateUserRole(db: Db, accountId: string, userId: string, role: Role, audit: AuditEvent): Promise<void> {
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: db.tableName,
              Key: userKey(accountId, userId),
              UpdateExpression: 'SET #role = :role, updatedAt = :now ADD version :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#role': 'role' },
              ExpressionAttributeValues: { ':role': role, ':now': nowIso(), ':one': 1 },
            },
          },
          auditPut(db, { ...audit, target: { type: 'user', id: userId }, details: { ...audit.details, role } }),
        ],
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFound('No such user');
    throw error;
  }
}

/** JIT: the IdP's names win on every login. Skips the write when nothing changed. */
export async function refreshUserNames(
  db: Db,
  accountId: string,
  user: UserItem,
  names: { givenName?: string; familyName?: string; displayName?: string },
): Promise<void> {
  const changes = Object.entries(names).filter(
    ([field, value]) => value !== undefined && value !== (user as unknown as Record<string, unknown>)[field],
  );
  if (changes.length === 0) return;
  const attributeNames: Record<string, string> = {};
  const values: Record<string, unknown> = { ':now': nowIso(), ':one': 1 };
  const sets = ['updatedAt = :now'];
  changes.forEach(([field, value], i) => {
    attributeNames[`#f${i}`] = field;
    values[`:v${i}`] = value;
    sets.push(`#f${i} = :v${i}`);
  });
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: userKey(accountId, user.id),
      UpdateExpression: `SET ${sets.join(', ')} ADD version :one`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: attributeNames,
      ExpressionAttributeValues: values,
    }),
  );
}

// ---- SCIM provisioning (additive): whole-resource writes conditional on the version, and hard delete. ----

/** A user's fields as SCIM sets them; `profile.scim` keeps the canonical SCIM resource (values exactly as sent). */
export interface ScimUserFields {
  email: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  active: boolean;
  role: Role;
  externalId?: string;
  profile: Record<string, unknown>;
}

export type ScimUserItem = UserItem & { externalId?: string; gsi2pk?: string; gsi2sk?: string };

/** The most items one provisioning transaction may carry (DynamoDB allows 100; the rest is kept for the audit event). */
export const MAX_ITEMS_PER_USER_TRANSACTION = 95;

function withExternalId(item: UserItem, externalId: string | undefined): ScimUserItem {
  const { gsi2pk: _p, gsi2sk: _s, externalId: _e, ...rest } = item as ScimUserItem;
  return externalId ? { ...rest, externalId, ...userExternalIdIndexKey(item.accountId, externalId) } : rest;
}

/** Creates a SCIM-provisioned user (source `scim`): 1 TransactWriteItems (user, email claim, counter, audit). */
export async function createScimUser(db: Db, accountId: string, fields: ScimUserFields, audit: AuditEvent): Promise<ScimUserItem> {
  const item = withExternalId(
    newUserItem(accountId, {
      email: fields.email,
      role: fields.role,
      source: 'scim',
      active: fields.active,
      displayName: fields.displayName,
      givenName: fields.givenName,
      familyName: fields.familyName,
      profile: fields.profile,
    }),
    fields.externalId,
  );
  await writeNewUser(db, item, audit, 'userName');
  return item;
}

export async function getUserItemsByExternalId(db: Db, accountId: string, externalId: string): Promise<ScimUserItem[]> {
  const key = userExternalIdIndexKey(accountId, externalId);
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk = :sk',
      ExpressionAttributeValues: { ':pk': key.gsi2pk, ':sk': key.gsi2sk },
    }),
  );
  return (result.Items ?? []) as ScimUserItem[];
}

/** One page of the account's people, in id (creation) order. */
export async function listUserItemsPage(
  db: Db,
  accountId: string,
  options: { limit: number; startKey?: Record<string, unknown>; keysOnly?: boolean },
): Promise<{ items: ScimUserItem[]; lastKey?: Record<string, unknown> }> {
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': USER_SK_PREFIX },
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
      // Skipping to a startIndex needs only the keys: less to transfer and unmarshal (DynamoDB still reads the items).
      ...(options.keysOnly ? { ProjectionExpression: 'pk, sk' } : {}),
    }),
  );
  return { items: (result.Items ?? []) as ScimUserItem[], lastKey: result.LastEvaluatedKey };
}

/** Session ids of a user: 1 Query over the account's sessions (no Scan), filtered by user. */
export async function sessionIdsOfUser(db: Db, accountId: string, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': userSessionsIndexPk(accountId, userId) },
        ProjectionExpression: 'id',
        ExclusiveStartKey: start,
      }),
    );
    ids.push(...(result.Items ?? []).map((item) => String(item.id)));
    start = result.LastEvaluatedKey;
  } while (start);
  return ids;
}

/**
 * Ends a user's sessions by deleting their items. Disabling already ends them at once (validateSession refuses inactive
 * users); deleting the items as well means re-enabling the user does not bring old sessions back.
 */
export async function endUserSessions(db: Db, accountId: string, userId: string): Promise<number> {
  const ids = await sessionIdsOfUser(db, accountId, userId);
  for (let i = 0; i < ids.length; i += 25) {
    let requests: Record<string, unknown>[] = ids
      .slice(i, i + 25)
      .map((id) => ({ DeleteRequest: { Key: sessionKey(accountId, id) } }));
    for (let attempt = 0; requests.length > 0 && attempt < 5; attempt++) {
      const result = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: requests as never } }));
      requests = (result.UnprocessedItems?.[db.tableName] ?? []) as Record<string, unknown>[];
    }
  }
  return ids.length;
}

/**
 * Replaces a user's SCIM-managed fields in 1 TransactWriteItems, conditional on the version that was read: the user,
 * the email claims when userName changes, the owned API keys' owner state when `active` changes, and the audit event.
 * A version mismatch throws PreconditionFailed (the caller re-reads and re-applies, or answers 412 under If-Match).
 */
export async function replaceScimUser(
  db: Db,
  current: ScimUserItem,
  fields: ScimUserFields,
  audit: AuditEvent,
): Promise<ScimUserItem> {
  const { accountId, id } = current;
  const now = nowIso();
  const next = withExternalId(
    {
      ...current,
      ...userEmailIndexKey(accountId, fields.email),
      email: fields.email,
      emailLower: normaliseEmail(fields.email),
      displayName: fields.displayName,
      givenName: fields.givenName,
      familyName: fields.familyName,
      active: fields.active,
      role: fields.role,
      profile: fields.profile,
      updatedAt: now,
      version: current.version + 1,
    },
    fields.externalId,
  );
  const emailChanged = next.emailLower !== current.emailLower;
  const activeChanged = next.active !== current.active;
  const keyIds = activeChanged ? await ownedKeyIds(db, accountId, id) : [];
  if (keyIds.length + 4 > MAX_ITEMS_PER_USER_TRANSACTION) {
    throw new Conflict(`The user owns ${keyIds.length} API keys; revoke some before changing active`, 'too_many_keys', 'tooMany');
  }
  const transactItems: Record<string, unknown>[] = [
    {
      Put: {
        TableName: db.tableName,
        Item: next,
        ConditionExpression: 'version = :read',
        ExpressionAttributeValues: { ':read': current.version },
      },
    },
  ];
  if (emailChanged) {
    transactItems.push(
      {
        Put: {
          TableName: db.tableName,
          Item: { ...userEmailKey(accountId, next.email), entity: ENTITY.userEmail, userId: id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Delete: { TableName: db.tableName, Key: userEmailKey(accountId, current.email) } },
    );
  }
  for (const keyId of keyIds) {
    transactItems.push({
      Update: {
        TableName: db.tableName,
        Key: apiKeyKey(accountId, keyId),
        UpdateExpression: 'SET ownerActive = :active',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':active': next.active },
      },
    });
  }
  transactItems.push(auditPut(db, { ...audit, target: { type: 'user', id } }));
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: transactItems as never }));
  } catch (error) {
    const failed = failedConditionIndexes(error);
    if (failed.includes(0)) throw new PreconditionFailed();
    if (emailChanged && failed.includes(1)) throw new Conflict(`A user with userName ${fields.email} already exists`, 'email_taken');
    throw error;
  }
  if (activeChanged && !next.active) await endUserSessions(db, accountId, id);
  return next;
}

/**
 * Removes a user from the account (SCIM DELETE) in 1 TransactWriteItems conditional on the version: the user, its email
 * claim, the counter, its group memberships, its API keys' owner state (they stop working; the key items stay listed),
 * and the audit event. At most MAX_ITEMS_PER_USER_TRANSACTION items: a user in more groups than that is refused (409).
 */
export async function deleteScimUser(
  db: Db,
  current: ScimUserItem,
  membershipKeys: ItemKey[],
  audit: AuditEvent,
): Promise<void> {
  const { accountId, id } = current;
  const keyIds = await ownedKeyIds(db, accountId, id);
  if (keyIds.length + membershipKeys.length + 4 > MAX_ITEMS_PER_USER_TRANSACTION) {
    throw new Conflict(
      `The user has ${membershipKeys.length} group memberships and ${keyIds.length} API keys; remove some first`,
      'too_many_items',
      'tooMany',
    );
  }
  const transactItems: Record<string, unknown>[] = [
    {
      Delete: {
        TableName: db.tableName,
        Key: userKey(accountId, id),
        ConditionExpression: 'version = :read',
        ExpressionAttributeValues: { ':read': current.version },
      },
    },
    { Delete: { TableName: db.tableName, Key: userEmailKey(accountId, current.email) } },
    {
      Update: {
        TableName: db.tableName,
        Key: accountKey(accountId),
        UpdateExpression: 'ADD userCount :minus',
        ExpressionAttributeValues: { ':minus': -1 },
      },
    },
    ...membershipKeys.map((key) => ({ Delete: { TableName: db.tableName, Key: key } })),
    ...keyIds.map((keyId) => ({
      Update: {
        TableName: db.tableName,
        Key: apiKeyKey(accountId, keyId),
        UpdateExpression: 'SET ownerActive = :false',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':false': false },
      },
    })),
    auditPut(db, { ...audit, target: { type: 'user', id } }),
  ];
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: transactItems as never }));
  } catch (error) {
    if (failedConditionIndexes(error).includes(0)) throw new PreconditionFailed();
    throw error;
  }
  await endUserSessions(db, accountId, id);
}
