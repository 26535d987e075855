// SPEC: "minting [a scim key] requires an IdP". Without one: 409 in the admin error shape, nothing written; with one: 201.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { accountPk } from '../../../shared/db/keys.ts';
import { addPlaceholderIdp } from '../../support/oidc-idp.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

async function keyCount(accountId: string): Promise<number> {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': 'KEY#' },
      ConsistentRead: true,
    }),
  );
  return result.Count ?? 0;
}

test('a scim key needs an IdP in the account: 409 before, 201 after; admin keys never need one', async () => {
  const account = await createTestAccount(stack, 'No IdP Yet');
  const before = await keyCount(account.id);
  for (const scopes of [['scim'], ['admin', 'scim']]) {
    const refused = await stack.call('POST', '/api/v1/api-keys', { token: account.adminKey, body: { description: 'okta', scopes } });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ status: 409, error: 'idp_required' });
    expect(refused.json.detail).toMatch(/no identity provider yet.*POST \/api\/v1\/idps/);
  }
  expect(await keyCount(account.id)).toBe(before);

  const admin = await stack.call('POST', '/api/v1/api-keys', { token: account.adminKey, body: { description: 'ci', scopes: ['admin'] } });
  expect(admin.status).toBe(201);

  await addPlaceholderIdp(stack.db, account.id);
  const scim = await stack.call('POST', '/api/v1/api-keys', { token: account.adminKey, body: { description: 'okta', scopes: ['scim'] } });
  expect(scim.status).toBe(201);
  expect(scim.json.scopes).toEqual(['scim']);
});

test('another account’s IdP does not count', async () => {
  const withIdp = await createTestAccount(stack, 'Has IdP');
  await addPlaceholderIdp(stack.db, withIdp.id);
  const without = await createTestAccount(stack, 'Has none');
  const refused = await stack.call('POST', '/api/v1/api-keys', { token: without.adminKey, body: { description: 'x', scopes: ['scim'] } });
  expect(refused.status).toBe(409);
});
