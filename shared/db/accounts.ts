// Accounts: the tenant. Settings, IP allowlist and the user counter live on the account item.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound, PreconditionFailed, failedConditionIndexes, isConditionFailure } from '../http/errors.ts';
import { newId, nowIso } from '../ids.ts';
import { newApiKeyItem } from './api-keys.ts';
import { auditPut, type AuditEvent } from './audit.ts';
import type { Db } from './client.ts';
import { ENTITY, accountKey, serviceUserKey } from './keys.ts';
import type { WriteGuard } from './idps.ts';
import type { BaseItem } from './items.ts';
import { SERVICE_USER_ID_PREFIX, type ServiceUserItem } from './users.ts';

export type Enforcement = 'mixed' | 'enforced';
export type Provisioning = 'invite' | 'jit' | 'scim';

export interface AccountItem extends BaseItem {
  id: string;
  name: string;
  enforcement: Enforcement;
  provisioning: Provisioning;
  /** CIDRs; empty means no restriction. */
  ipAllowlist: string[];
  /** Person users in the account, kept exact by the transactions that create and delete them. */
  userCount: number;
}

export interface Account {
  id: string;
  name: string;
  enforcement: Enforcement;
  provisioning: Provisioning;
  ipAllowlist: string[];
  userCount: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function toAccount(item: AccountItem): Account {
  const { id, name, enforcement, provisioning, ipAllowlist, userCount, createdAt, updatedAt, version } = item;
  return { id, name, enforcement, provisioning, ipAllowlist: ipAllowlist ?? [], userCount, createdAt, updatedAt, version };
}

export function newAccountItem(id: string, name: string, now: string): AccountItem {
  return {
    ...accountKey(id),
    entity: ENTITY.account,
    id,
    name,
    enforcement: 'mixed',
    provisioning: 'invite',
    ipAllowlist: [],
    userCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

export async function getAccount(db: Db, accountId: string): Promise<Account | undefined> {
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: accountKey(accountId), ConsistentRead: true }),
  );
  return result.Item ? toAccount(result.Item as AccountItem) : undefined;
}

export async function requireAccount(db: Db, accountId: string): Promise<Account> {
  const account = await getAccount(db, accountId);
  if (!account) throw new NotFound('No such account');
  return account;
}

export type AccountSettings = Partial<Pick<Account, 'name' | 'enforcement' | 'provisioning' | 'ipAllowlist'>>;

/**
 * Updates settings and records the audit event in one transaction, then reads the account back (2 calls). With
 * `expectedVersion` the write is refused (412) if anyone changed the account since it was read.
 */
export async function updateAccountSettings(
  db: Db,
  accountId: string,
  settings: AccountSettings,
  audit: AuditEvent,
  expectedVersion?: number,
  /** Conditions on other items, checked in the same transaction (e.g. "a tested IdP exists"); a failure is a 409. */
  guards: WriteGuard[] = [],
  guardConflict = 'The account changed while it was being updated; retry',
): Promise<Account> {
  const entries = Object.entries(settings).filter(([, v]) => v !== undefined);
  const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':one': 1, ':now': nowIso() };
  const sets = ['#updatedAt = :now'];
  entries.forEach(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:v${i}`] = value;
    sets.push(`#f${i} = :v${i}`);
  });
  let condition = 'attribute_exists(pk)';
  if (expectedVersion !== undefined) {
    condition += ' AND #version = :expected';
    values[':expected'] = expectedVersion;
  }
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: db.tableName,
              Key: accountKey(accountId),
              UpdateExpression: `SET ${sets.join(', ')} ADD #version :one`,
              ConditionExpression: condition,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          ...guards,
          auditPut(db, { ...audit, details: { ...audit.details, changed: entries.map(([name]) => name) } }),
        ],
      }),
    );
  } catch (error) {
    if (failedConditionIndexes(error).some((i) => i >= 1 && i <= guards.length)) throw new Conflict(guardConflict);
    if (isConditionFailure(error)) {
      throw expectedVersion === undefined ? new NotFound('No such account') : new PreconditionFailed();
    }
    throw error;
  }
  return requireAccount(db, accountId);
}

/**
 * Creates an account, a service user that owns its first admin key, and the key — one transaction. The token is returned
 * once and never stored.
 */
export async function createAccount(
  db: Db,
  input: { name: string; keyLifetimeDays: number; sourceIp?: string },
  now = new Date(),
): Promise<{ account: Account; adminKey: string; keyId: string; serviceUserId: string }> {
  const id = newId();
  const at = now.toISOString();
  const account = newAccountItem(id, input.name, at);
  const serviceUserId = `${SERVICE_USER_ID_PREFIX}${newId()}`;
  const serviceUser: ServiceUserItem = {
    ...serviceUserKey(id, serviceUserId),
    entity: ENTITY.serviceUser,
    id: serviceUserId,
    accountId: id,
    name: 'Account bootstrap',
    active: true,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const { item: key, token } = newApiKeyItem(
    id,
    {
      description: 'First admin key (created with the account)',
      ownerId: serviceUserId,
      scopes: ['admin'],
      expiresAt: new Date(now.getTime() + input.keyLifetimeDays * 86_400_000),
    },
    at,
  );
  await db.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        ...[account, serviceUser, key].map((Item) => ({
          Put: { TableName: db.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
        })),
        auditPut(
          db,
          {
            accountId: id,
            action: 'account.created',
            actor: { type: 'operator', id: 'operator' },
            target: { type: 'account', id },
            outcome: 'success',
            sourceIp: input.sourceIp,
            details: { adminKeyId: key.id },
          },
          now,
        ),
      ],
    }),
  );
  return { account: toAccount(account), adminKey: token, keyId: key.id, serviceUserId };
}
