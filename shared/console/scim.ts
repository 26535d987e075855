// "Enable SCIM": a `scim` key owned by its own service user, so the key outlives any one admin (disabling the admin who
// clicked the button must not stop provisioning). One transaction: service user, key, audit event.
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_API_KEY_LIFETIME_DAYS } from '../config.ts';
import { newApiKeyItem, toApiKey, type ApiKey } from '../db/api-keys.ts';
import { auditPut, type AuditEvent } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { ENTITY, serviceUserKey } from '../db/keys.ts';
import { SERVICE_USER_ID_PREFIX, type ServiceUserItem } from '../db/users.ts';
import { newId, nowIso } from '../ids.ts';

/** Field names in the IdPs' SCIM set-up screens, so the admin knows where to paste what. */
export const SCIM_FIELD_NAMES = {
  okta: { baseUrl: 'Base URL', token: 'API Token' },
  entra: { baseUrl: 'Tenant URL', token: 'Secret Token' },
} as const;

/** The SCIM base URL of this deployment (the SCIM routes live under it). */
export function scimBaseUrl(): string {
  return `${(process.env.PUBLIC_BASE_URL ?? '').replace(/\/$/, '')}/scim/v2`;
}

/** 1 TransactWriteItems. The token is in the return value only. */
export async function createScimKey(db: Db, accountId: string, audit: AuditEvent): Promise<{ key: ApiKey; token: string }> {
  const now = new Date();
  const at = nowIso();
  const ownerId = `${SERVICE_USER_ID_PREFIX}${newId()}`;
  const owner: ServiceUserItem = {
    ...serviceUserKey(accountId, ownerId),
    entity: ENTITY.serviceUser,
    id: ownerId,
    accountId,
    name: `SCIM provisioning (${at.slice(0, 10)})`,
    active: true,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const { item, token } = newApiKeyItem(
    accountId,
    {
      description: `SCIM provisioning (created ${at.slice(0, 10)})`,
      ownerId,
      scopes: ['scim'],
      expiresAt: new Date(now.getTime() + DEFAULT_API_KEY_LIFETIME_DAYS * 86_400_000),
    },
    at,
  );
  await db.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: db.tableName, Item: owner, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        auditPut(db, { ...audit, target: { type: 'apiKey', id: item.id }, details: { ...audit.details, scopes: ['scim'] } }, now),
      ],
    }),
  );
  return { key: toApiKey(item), token };
}
