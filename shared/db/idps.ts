// Identity providers of an account: SAML (entity ID, SSO URL, pinned signing certificates) or OIDC (issuer, client).
// Callback URLs name only the IdP id, so gsi1 finds an IdP (and so its account) from the id alone.
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound, PreconditionFailed, failedConditionIndexes, isConditionFailure } from '../http/errors.ts';
import { newId, nowIso } from '../ids.ts';
import { auditPut, type AuditEvent } from './audit.ts';
import type { Db } from './client.ts';
import { ENTITY, IDP_SK_PREFIX, accountPk, idpIndexKey, idpKey } from './keys.ts';
import { stripKeys, type BaseItem } from './items.ts';

interface IdpCommon {
  id: string;
  accountId: string;
  description: string;
  /** Set when a test login through this IdP succeeded; enforcement needs one. */
  testedAt?: string;
}

export interface SamlIdpConfig {
  type: 'saml';
  entityId: string;
  ssoUrl: string;
  /** Base64 DER bodies (no PEM armour) of the certificates whose signatures we accept. */
  certificates: string[];
  /** Where the metadata came from, when it came from a URL (kept for refresh). */
  metadataUrl?: string;
  /** IdP-initiated (unsolicited) responses are refused unless this is on. */
  allowIdpInitiated: boolean;
}

export interface OidcIdpConfig {
  type: 'oidc';
  issuer: string;
  clientId: string;
  /** The client secret, encrypted (KMS on AWS, AES-GCM with a local key on a laptop); never returned by the API. */
  clientSecretEncrypted: string;
}

export type IdpConfig = SamlIdpConfig | OidcIdpConfig;
export type Idp = IdpCommon & IdpConfig & { createdAt: string; updatedAt: string; version: number };
export type IdpItem = Idp & BaseItem & { gsi1pk: string; gsi1sk: string };

export const toIdp = (item: IdpItem): Idp => stripKeys(item) as Idp;

export async function createIdp(
  db: Db,
  accountId: string,
  input: { description: string; /** Chosen beforehand when the config binds to it (sealed OIDC secrets). */ id?: string } & IdpConfig,
  audit: AuditEvent,
  /** Given when the config was built for this id beforehand (an OIDC client secret is sealed with the IdP id). */
  chosenId?: string,
): Promise<Idp> {
  const id = input.id ?? chosenId ?? newId();
  const now = nowIso();
  const item = {
    ...idpKey(accountId, id),
    ...idpIndexKey(id),
    entity: ENTITY.idp,
    id,
    accountId,
    ...input,
    createdAt: now,
    updatedAt: now,
    version: 1,
  } as IdpItem;
  await db.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        auditPut(db, { ...audit, target: { type: 'idp', id }, details: { ...audit.details, type: input.type } }),
      ],
    }),
  );
  return toIdp(item);
}

export async function listIdps(db: Db, accountId: string): Promise<Idp[]> {
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': IDP_SK_PREFIX },
    }),
  );
  return (result.Items ?? []).map((item) => toIdp(item as IdpItem));
}

export async function getIdp(db: Db, accountId: string, idpId: string): Promise<Idp | undefined> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: idpKey(accountId, idpId), ConsistentRead: true }));
  return result.Item ? toIdp(result.Item as IdpItem) : undefined;
}

/** For SSO callbacks, which carry only the IdP id: 1 Query on gsi1. */
export async function findIdp(db: Db, idpId: string): Promise<Idp | undefined> {
  const key = idpIndexKey(idpId);
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
      ExpressionAttributeValues: { ':pk': key.gsi1pk, ':sk': key.gsi1sk },
      Limit: 1,
    }),
  );
  const item = result.Items?.[0] as IdpItem | undefined;
  return item ? toIdp(item) : undefined;
}

/** Changes fields of an IdP (never its type) in one conditional write with its audit event. */
export async function updateIdp(
  db: Db,
  accountId: string,
  idpId: string,
  changes: Partial<Omit<SamlIdpConfig, 'type'>> | Partial<Omit<OidcIdpConfig, 'type'>> | { description?: string; testedAt?: string },
  audit: AuditEvent,
  expectedVersion?: number,
): Promise<Idp> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':one': 1, ':now': nowIso() };
  const sets = ['updatedAt = :now'];
  entries.forEach(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:v${i}`] = value;
    sets.push(`#f${i} = :v${i}`);
  });
  let condition = 'attribute_exists(pk)';
  if (expectedVersion !== undefined) {
    condition += ' AND version = :expected';
    values[':expected'] = expectedVersion;
  }
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: db.tableName,
              Key: idpKey(accountId, idpId),
              UpdateExpression: `SET ${sets.join(', ')} ADD version :one`,
              ConditionExpression: condition,
              ...(entries.length ? { ExpressionAttributeNames: names } : {}),
              ExpressionAttributeValues: values,
            },
          },
          auditPut(db, {
            ...audit,
            target: { type: 'idp', id: idpId },
            details: { ...audit.details, changed: entries.map(([n]) => n) },
          }),
        ],
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) {
      if (expectedVersion !== undefined && (await getIdp(db, accountId, idpId))) throw new PreconditionFailed();
      throw new NotFound('No such identity provider');
    }
    throw error;
  }
  const idp = await getIdp(db, accountId, idpId);
  if (!idp) throw new NotFound('No such identity provider');
  return idp;
}

/** A condition checked in the same transaction as a write (e.g. "another IdP still exists"). */
export interface WriteGuard {
  ConditionCheck: {
    TableName: string;
    Key: { pk: string; sk: string };
    ConditionExpression: string;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
}

/** A guard that `idpId` of the account still exists (and, with `tested`, has completed a test login). */
export function idpExistsGuard(db: Db, accountId: string, idpId: string, tested = false): WriteGuard {
  return {
    ConditionCheck: {
      TableName: db.tableName,
      Key: idpKey(accountId, idpId),
      ConditionExpression: tested ? 'attribute_exists(pk) AND attribute_exists(testedAt)' : 'attribute_exists(pk)',
    },
  };
}

/**
 * Deletes an IdP and records the audit event in one transaction. `guards` are checked in the same transaction; when one
 * fails the IdP stays and the caller gets a 409 naming `guardConflict`.
 */
export async function deleteIdp(
  db: Db,
  accountId: string,
  idpId: string,
  audit: AuditEvent,
  guards: WriteGuard[] = [],
  guardConflict = 'The account changed while the identity provider was being deleted; retry',
): Promise<void> {
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: db.tableName, Key: idpKey(accountId, idpId), ConditionExpression: 'attribute_exists(pk)' } },
          ...guards,
          auditPut(db, { ...audit, target: { type: 'idp', id: idpId } }),
        ],
      }),
    );
  } catch (error) {
    const failed = failedConditionIndexes(error);
    if (failed.includes(0)) throw new NotFound('No such identity provider');
    if (failed.length > 0) throw new Conflict(guardConflict, 'idp_required');
    throw error;
  }
}
