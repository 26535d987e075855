// Account domains: a DNS TXT challenge per domain; once verified, the domain admits SCIM and JIT users and routes
// login discovery (email → account) through its global claim. A domain is verified by at most one account.
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { Conflict, NotFound, failedConditionIndexes } from '../http/errors.ts';
import { nowIso } from '../ids.ts';
import { auditPut, type AuditEvent } from './audit.ts';
import type { Db } from './client.ts';
import { DOMAIN_SK_PREFIX, ENTITY, accountPk, domainClaimKey, domainKey, normaliseDomain } from './keys.ts';
import type { BaseItem } from './items.ts';

export interface DomainItem extends BaseItem {
  accountId: string;
  domain: string;
  /** Where the TXT record goes, and what it must say. */
  txtName: string;
  txtValue: string;
  verified: boolean;
  verifiedAt?: string;
}

export type Domain = Pick<DomainItem, 'domain' | 'txtName' | 'txtValue' | 'verified' | 'verifiedAt' | 'createdAt'>;

export const toDomain = ({ domain, txtName, txtValue, verified, verifiedAt, createdAt }: DomainItem): Domain => ({
  domain,
  txtName,
  txtValue,
  verified,
  verifiedAt,
  createdAt,
});

/** The part after the last `@` of an email, normalised; undefined when there is none. */
export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return undefined;
  return normaliseDomain(email.slice(at + 1));
}

/** Registers a domain with a fresh TXT challenge; adding it again returns the existing challenge. */
export async function addDomain(db: Db, accountId: string, domain: string): Promise<Domain> {
  const name = normaliseDomain(domain);
  const now = nowIso();
  const item: DomainItem = {
    ...domainKey(accountId, name),
    entity: ENTITY.domain,
    accountId,
    domain: name,
    txtName: `_identity-challenge.${name}`,
    txtValue: `identity-verification=${randomBytes(16).toString('hex')}`,
    verified: false,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  try {
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return toDomain(item);
  } catch (error) {
    const existing = await getDomain(db, accountId, name);
    if (existing) return existing;
    throw error;
  }
}

/**
 * The admin API's way to add a domain: refuses one that another account has verified (409), records the audit event
 * with the new item in one transaction, and returns the existing challenge when the account added it before.
 * 1 GetItem (global claim) + 1 TransactWriteItems (+ 1 GetItem when it already existed).
 */
export async function registerDomain(
  db: Db,
  accountId: string,
  domain: string,
  audit: AuditEvent,
): Promise<{ domain: Domain; created: boolean }> {
  const name = normaliseDomain(domain);
  const owner = await accountIdForDomain(db, name);
  if (owner !== undefined && owner !== accountId) {
    throw new Conflict(`The domain ${name} is already verified by another account`, 'domain_taken');
  }
  const now = nowIso();
  const item: DomainItem = {
    ...domainKey(accountId, name),
    entity: ENTITY.domain,
    accountId,
    domain: name,
    txtName: `_identity-challenge.${name}`,
    txtValue: `identity-verification=${randomBytes(16).toString('hex')}`,
    verified: false,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          auditPut(db, { ...audit, target: { type: 'domain', id: name } }),
        ],
      }),
    );
    return { domain: toDomain(item), created: true };
  } catch (error) {
    if (!failedConditionIndexes(error).includes(0)) throw error;
    const existing = await getDomain(db, accountId, name);
    if (!existing) throw error;
    return { domain: existing, created: false };
  }
}

export async function getDomain(db: Db, accountId: string, domain: string): Promise<Domain | undefined> {
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: domainKey(accountId, domain), ConsistentRead: true }),
  );
  return result.Item ? toDomain(result.Item as DomainItem) : undefined;
}

export async function listDomains(db: Db, accountId: string): Promise<Domain[]> {
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': DOMAIN_SK_PREFIX },
    }),
  );
  return (result.Items ?? []).map((item) => toDomain(item as DomainItem));
}

/** 1 GetItem: may this account create users with emails in `domain`? */
export async function isDomainVerified(db: Db, accountId: string, domain: string): Promise<boolean> {
  return (await getDomain(db, accountId, domain))?.verified === true;
}

/**
 * Marks the domain verified and claims it globally in one transaction. The caller has already checked the TXT record.
 * A domain another account has verified is a 409.
 */
export async function markDomainVerified(db: Db, accountId: string, domain: string, audit: AuditEvent): Promise<Domain> {
  const name = normaliseDomain(domain);
  const now = nowIso();
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: db.tableName,
              Key: domainKey(accountId, name),
              UpdateExpression: 'SET verified = :true, verifiedAt = if_not_exists(verifiedAt, :now), updatedAt = :now ADD version :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':true': true, ':now': now, ':one': 1 },
            },
          },
          {
            Put: {
              TableName: db.tableName,
              Item: { ...domainClaimKey(name), entity: ENTITY.domainClaim, domain: name, accountId, createdAt: now },
              ConditionExpression: 'attribute_not_exists(pk) OR accountId = :account',
              ExpressionAttributeValues: { ':account': accountId },
            },
          },
          auditPut(db, { ...audit, target: { type: 'domain', id: name } }),
        ],
      }),
    );
  } catch (error) {
    const failed = failedConditionIndexes(error);
    if (failed.includes(0)) throw new NotFound(`Add the domain ${name} before verifying it`);
    if (failed.includes(1)) throw new Conflict(`The domain ${name} is already verified by another account`, 'domain_taken');
    throw error;
  }
  const verified = await getDomain(db, accountId, name);
  if (!verified) throw new NotFound(`No such domain ${name}`);
  return verified;
}

/** Login discovery: the account that verified this domain, if any (1 GetItem). */
export async function accountIdForDomain(db: Db, domain: string): Promise<string | undefined> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: domainClaimKey(domain) }));
  return result.Item?.accountId as string | undefined;
}
