// SAML state the ACS relies on: the AuthnRequests we issued (so a response must answer one of ours, for this IdP, once)
// and the assertion IDs we accepted (so no assertion is accepted twice). Both live in the account's partition with a TTL.
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionIndexes, isConditionFailure } from '../http/errors.ts';
import { epochSeconds, nowIso } from '../ids.ts';
import type { Db } from './client.ts';
import { ENTITY, samlAssertionKey, samlRequestKey } from './keys.ts';

/** How long a user may spend at the IdP between our AuthnRequest and the response. */
export const SAML_REQUEST_LIFETIME_SECONDS = 10 * 60;

export interface SamlRequestRecord {
  accountId: string;
  idpId: string;
  requestId: string;
  returnTo?: string;
  test: boolean;
}

export async function saveSamlRequest(db: Db, record: SamlRequestRecord, now = new Date()): Promise<void> {
  const expires = new Date(now.getTime() + SAML_REQUEST_LIFETIME_SECONDS * 1000);
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: {
        ...samlRequestKey(record.accountId, record.requestId),
        entity: ENTITY.samlRequest,
        ...record,
        expiresAt: epochSeconds(expires),
        ttl: epochSeconds(expires),
        createdAt: nowIso(now),
        updatedAt: nowIso(now),
        version: 1,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** An unexpired AuthnRequest we issued in this account (1 GetItem); the caller checks it was for the same IdP. */
export async function getSamlRequest(
  db: Db,
  accountId: string,
  requestId: string,
  now = new Date(),
): Promise<SamlRequestRecord | undefined> {
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: samlRequestKey(accountId, requestId), ConsistentRead: true }),
  );
  const item = result.Item;
  if (!item || Number(item.expiresAt) <= epochSeconds(now)) return undefined;
  return {
    accountId,
    idpId: String(item.idpId),
    requestId,
    test: item.test === true,
    ...(typeof item.returnTo === 'string' ? { returnTo: item.returnTo } : {}),
  };
}

export type ConsumeOutcome = { ok: true } | { ok: false; reason: 'unknown_request' | 'replayed_assertion' };

/**
 * In one transaction: deletes the AuthnRequest the response answers (must exist, be for this IdP, not be expired) and
 * records the assertion ID (must be new). Two concurrent posts of one response cannot both succeed: DynamoDB serialises
 * the conditional writes, so exactly one transaction wins.
 */
export async function consumeSamlResponse(
  db: Db,
  input: { accountId: string; idpId: string; inResponseTo?: string; assertionId: string; assertionExpiresAt: Date },
  now = new Date(),
): Promise<ConsumeOutcome> {
  const assertionPut = {
    Put: {
      TableName: db.tableName,
      Item: {
        ...samlAssertionKey(input.accountId, input.idpId, input.assertionId),
        entity: ENTITY.samlAssertion,
        idpId: input.idpId,
        assertionId: input.assertionId,
        ttl: epochSeconds(input.assertionExpiresAt),
        createdAt: nowIso(now),
        updatedAt: nowIso(now),
        version: 1,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  if (input.inResponseTo === undefined) {
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems: [assertionPut] }));
      return { ok: true };
    } catch (error) {
      if (isConditionFailure(error)) return { ok: false, reason: 'replayed_assertion' };
      throw error;
    }
  }
  const requestDelete = {
    Delete: {
      TableName: db.tableName,
      Key: samlRequestKey(input.accountId, input.inResponseTo),
      ConditionExpression: 'attribute_exists(pk) AND idpId = :idp AND expiresAt > :now',
      ExpressionAttributeValues: { ':idp': input.idpId, ':now': epochSeconds(now) },
      ReturnValuesOnConditionCheckFailure: 'NONE' as const,
    },
  };
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: [requestDelete, assertionPut] }));
    return { ok: true };
  } catch (error) {
    if (isConditionFailure(error)) {
      const failed = failedConditionIndexes(error);
      return { ok: false, reason: failed.includes(0) ? 'unknown_request' : 'replayed_assertion' };
    }
    throw error;
  }
}
