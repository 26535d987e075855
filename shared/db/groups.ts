// Groups of an account and their memberships. A membership is its own item (GMEMBER#{group}#{user}, indexed on gsi2 by
// user), so a group's members and a user's groups are both Queries, and membership changes are small conditional writes.
import { BatchWriteCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, HttpError, NotFound, PreconditionFailed, failedConditionIndexes } from '../http/errors.ts';
import { newId, nowIso } from '../ids.ts';
import { auditPut, type AuditEvent } from './audit.ts';
import type { Db } from './client.ts';
import {
  ENTITY,
  GROUP_SK_PREFIX,
  accountKey,
  accountPk,
  groupExternalIdIndexKey,
  groupKey,
  groupMemberKey,
  groupMembersPrefix,
  groupNameKey,
  userGroupsIndexKey,
  userKey,
  type ItemKey,
} from './keys.ts';
import type { BaseItem } from './items.ts';
import type { Role } from './users.ts';

export interface GroupItem extends BaseItem {
  id: string;
  accountId: string;
  displayName: string;
  externalId?: string;
  /** The dashboard role this group grants its members (our SCIM extension). */
  role?: Role;
  gsi2pk?: string;
  gsi2sk?: string;
}

export interface GroupFields {
  displayName: string;
  externalId?: string;
  role?: Role;
}

/**
 * Transaction items per request spent on memberships (DynamoDB allows 100 per transaction): an added member costs 2 (a
 * check that the user exists + the membership), a removed one 1. So at most 45 additions or 90 removals per request.
 */
export const MAX_MEMBER_CHANGES_PER_REQUEST = 90;

export class TooManyMemberChanges extends HttpError {
  constructor(count: number) {
    super(400, 'too_many_changes', `${count} membership changes in one request; send at most ${MAX_MEMBER_CHANGES_PER_REQUEST / 2} additions or ${MAX_MEMBER_CHANGES_PER_REQUEST} removals per request`);
    this.scimType = 'tooMany';
  }
}

export class UnknownMember extends HttpError {
  constructor(readonly userId: string) {
    super(400, 'unknown_member', `members: ${userId} is not a user of this account`);
    this.scimType = 'invalidValue';
  }
}

function groupItem(accountId: string, id: string, fields: GroupFields, base: { createdAt: string; version: number }): GroupItem {
  return {
    ...groupKey(accountId, id),
    entity: ENTITY.group,
    id,
    accountId,
    displayName: fields.displayName,
    ...(fields.role ? { role: fields.role } : {}),
    ...(fields.externalId ? { externalId: fields.externalId, ...groupExternalIdIndexKey(accountId, fields.externalId) } : {}),
    createdAt: base.createdAt,
    updatedAt: nowIso(),
    version: base.version,
  };
}

function memberWrites(db: Db, accountId: string, groupId: string, added: string[], removed: string[], now: string) {
  return [
    ...added.flatMap((userId) => [
      // The user must exist in this account: ids of another tenant's users are refused here.
      { ConditionCheck: { TableName: db.tableName, Key: userKey(accountId, userId), ConditionExpression: 'attribute_exists(pk)' } },
      {
        Put: {
          TableName: db.tableName,
          Item: {
            ...groupMemberKey(accountId, groupId, userId),
            ...userGroupsIndexKey(accountId, userId, groupId),
            entity: ENTITY.groupMember,
            groupId,
            userId,
            createdAt: now,
            updatedAt: now,
            version: 1,
          },
        },
      },
    ]),
    ...removed.map((userId) => ({ Delete: { TableName: db.tableName, Key: groupMemberKey(accountId, groupId, userId) } })),
  ];
}

function translateFailure(error: unknown, items: Record<string, unknown>[], nameIndex: number | undefined): never {
  const failed = failedConditionIndexes(error);
  if (failed.includes(0)) throw new PreconditionFailed();
  if (nameIndex !== undefined && failed.includes(nameIndex)) throw new Conflict('A group with this displayName already exists');
  for (const index of failed) {
    const check = items[index]?.ConditionCheck as { Key?: ItemKey } | undefined;
    if (check?.Key) throw new UnknownMember(check.Key.sk.replace(/^USER#/, ''));
  }
  throw error;
}

/** 1 TransactWriteItems: group, name claim, memberships (each checked against the account's users), counter, audit. */
export async function createGroup(
  db: Db,
  accountId: string,
  fields: GroupFields,
  memberIds: string[],
  audit: AuditEvent,
): Promise<GroupItem> {
  if (memberIds.length * 2 > MAX_MEMBER_CHANGES_PER_REQUEST) throw new TooManyMemberChanges(memberIds.length);
  const now = nowIso();
  const item = groupItem(accountId, newId(), fields, { createdAt: now, version: 1 });
  const items: Record<string, unknown>[] = [
    { Put: { TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: db.tableName,
        Item: { ...groupNameKey(accountId, fields.displayName), entity: ENTITY.groupName, groupId: item.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: db.tableName,
        Key: accountKey(accountId),
        UpdateExpression: 'ADD groupCount :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    ...memberWrites(db, accountId, item.id, memberIds, [], now),
    auditPut(db, { ...audit, target: { type: 'group', id: item.id } }),
  ];
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
  } catch (error) {
    if (failedConditionIndexes(error).includes(2)) throw new NotFound('No such account');
    translateFailure(error, items, 1);
  }
  return item;
}

export async function getGroupItem(db: Db, accountId: string, groupId: string): Promise<GroupItem | undefined> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: groupKey(accountId, groupId) }));
  return result.Item as GroupItem | undefined;
}

/** 1 GetItem on the name claim (+ 1 GetItem for the group). */
export async function getGroupItemByName(db: Db, accountId: string, displayName: string): Promise<GroupItem | undefined> {
  const claim = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: groupNameKey(accountId, displayName) }));
  const groupId = claim.Item?.groupId as string | undefined;
  return groupId ? getGroupItem(db, accountId, groupId) : undefined;
}

export async function getGroupItemsByExternalId(db: Db, accountId: string, externalId: string): Promise<GroupItem[]> {
  const key = groupExternalIdIndexKey(accountId, externalId);
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk = :sk',
      ExpressionAttributeValues: { ':pk': key.gsi2pk, ':sk': key.gsi2sk },
    }),
  );
  return (result.Items ?? []) as GroupItem[];
}

/** A group's member user ids: 1 Query per 1 MB page. */
export async function memberIdsOfGroup(db: Db, accountId: string, groupId: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': groupMembersPrefix(groupId) },
        ProjectionExpression: 'userId',
        ExclusiveStartKey: start,
      }),
    );
    ids.push(...(result.Items ?? []).map((item) => String(item.userId)));
    start = result.LastEvaluatedKey;
  } while (start);
  return ids;
}

/** The membership items of a user (1 Query on gsi2), for removing them when the user is deleted. */
export async function membershipKeysOfUser(db: Db, accountId: string, userId: string): Promise<ItemKey[]> {
  const keys: ItemKey[] = [];
  let start: Record<string, unknown> | undefined;
  const indexKey = userGroupsIndexKey(accountId, userId, '');
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': indexKey.gsi2pk },
        ExclusiveStartKey: start,
      }),
    );
    keys.push(...(result.Items ?? []).map((item) => ({ pk: String(item.pk), sk: String(item.sk) })));
    start = result.LastEvaluatedKey;
  } while (start);
  return keys;
}

export async function listGroupItemsPage(
  db: Db,
  accountId: string,
  options: { limit: number; startKey?: Record<string, unknown> },
): Promise<{ items: GroupItem[]; lastKey?: Record<string, unknown> }> {
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': GROUP_SK_PREFIX },
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { items: (result.Items ?? []) as GroupItem[], lastKey: result.LastEvaluatedKey };
}

/**
 * 1 TransactWriteItems conditional on the version read: the group, the name claims when renamed, the membership
 * changes (added members checked against the account's users), the audit event. A version mismatch is PreconditionFailed.
 */
export async function updateGroup(
  db: Db,
  current: GroupItem,
  fields: GroupFields,
  added: string[],
  removed: string[],
  audit: AuditEvent,
): Promise<GroupItem> {
  if (added.length * 2 + removed.length > MAX_MEMBER_CHANGES_PER_REQUEST) throw new TooManyMemberChanges(added.length + removed.length);
  const { accountId, id } = current;
  const now = nowIso();
  const next = groupItem(accountId, id, fields, { createdAt: current.createdAt, version: current.version + 1 });
  const renamed = fields.displayName.trim().toLowerCase() !== current.displayName.trim().toLowerCase();
  const items: Record<string, unknown>[] = [
    {
      Put: {
        TableName: db.tableName,
        Item: next,
        ConditionExpression: 'version = :read',
        ExpressionAttributeValues: { ':read': current.version },
      },
    },
  ];
  if (renamed) {
    items.push(
      {
        Put: {
          TableName: db.tableName,
          Item: { ...groupNameKey(accountId, fields.displayName), entity: ENTITY.groupName, groupId: id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Delete: { TableName: db.tableName, Key: groupNameKey(accountId, current.displayName) } },
    );
  }
  items.push(...memberWrites(db, accountId, id, added, removed, now));
  items.push(auditPut(db, { ...audit, target: { type: 'group', id }, details: { ...audit.details, added, removed } }));
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
  } catch (error) {
    translateFailure(error, items, renamed ? 1 : undefined);
  }
  return next;
}

/** Deletes the memberships (batches of 25), then the group, its name claim and the counter with the audit event. */
export async function deleteGroup(db: Db, current: GroupItem, audit: AuditEvent): Promise<void> {
  const { accountId, id } = current;
  const memberIds = await memberIdsOfGroup(db, accountId, id);
  for (let i = 0; i < memberIds.length; i += 25) {
    let requests: Record<string, unknown>[] = memberIds
      .slice(i, i + 25)
      .map((userId) => ({ DeleteRequest: { Key: groupMemberKey(accountId, id, userId) } }));
    for (let attempt = 0; requests.length > 0 && attempt < 5; attempt++) {
      const result = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: requests as never } }));
      requests = (result.UnprocessedItems?.[db.tableName] ?? []) as Record<string, unknown>[];
    }
  }
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: db.tableName,
              Key: groupKey(accountId, id),
              ConditionExpression: 'version = :read',
              ExpressionAttributeValues: { ':read': current.version },
            },
          },
          { Delete: { TableName: db.tableName, Key: groupNameKey(accountId, current.displayName) } },
          {
            Update: {
              TableName: db.tableName,
              Key: accountKey(accountId),
              UpdateExpression: 'ADD groupCount :minus',
              ExpressionAttributeValues: { ':minus': -1 },
            },
          },
          auditPut(db, { ...audit, target: { type: 'group', id }, details: { members: memberIds.length } }),
        ],
      }),
    );
  } catch (error) {
    if (failedConditionIndexes(error).includes(0)) throw new PreconditionFailed();
    throw error;
  }
}

/** The account's group counter (kept in the same transactions as creates and deletes). */
export async function groupCount(db: Db, accountId: string): Promise<number> {
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: accountKey(accountId), ProjectionExpression: 'groupCount' }),
  );
  return Number(result.Item?.groupCount ?? 0);
}
