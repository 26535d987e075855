// Accounts, API keys and the authorizer, over real HTTP through the local gateway and DynamoDB Local.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { newApiKeyItem } from '../../../shared/db/api-keys.ts';
import { accountPk } from '../../../shared/db/keys.ts';
import { addPlaceholderIdp } from '../../support/oidc-idp.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

async function partitionItems(accountId: string) {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': accountPk(accountId) },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

describe('POST /api/v1/accounts', () => {
  test('creates an account with a first admin key that works at once', async () => {
    const created = await stack.call('POST', '/api/v1/accounts', { token: stack.operatorKey, body: { name: 'Initech' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Initech', enforcement: 'mixed', provisioning: 'invite' });
    expect(created.json.adminKey).toMatch(/^ik_/);
    const account = await stack.call('GET', '/api/v1/account', { token: created.json.adminKey });
    expect(account.status).toBe(200);
    expect(account.json.id).toBe(created.json.id);
  });

  test('refuses a wrong operator key, an admin key, and no key — and writes nothing', async () => {
    const other = await createTestAccount(stack, 'Bystander');
    for (const token of [undefined, 'op_wrong', other.adminKey]) {
      const result = await stack.call('POST', '/api/v1/accounts', { token, body: { name: 'Nope' } });
      expect(result.status).toBe(401);
    }
  });

  test('refuses a body with unknown fields or no name', async () => {
    for (const body of [{ name: 'X', plan: 'gold' }, {}, { name: '' }, { name: 42 }]) {
      const result = await stack.call('POST', '/api/v1/accounts', { token: stack.operatorKey, body });
      expect(result.status).toBe(400);
      expect(result.json.error).toBe('invalid_request');
    }
  });
});

describe('API keys', () => {
  let account: { id: string; adminKey: string };

  beforeAll(async () => {
    account = await createTestAccount(stack, 'Keys Inc');
    // Keys with the scim scope need an IdP in the account (SPEC).
    await addPlaceholderIdp(stack.db, account.id);
  });

  test('creates a key whose token is shown once and listed only by prefix', async () => {
    const created = await stack.call('POST', '/api/v1/api-keys', {
      token: account.adminKey,
      body: { description: 'Okta provisioning', scopes: ['scim'] },
    });
    expect(created.status).toBe(201);
    expect(created.json.token).toMatch(new RegExp(`^${created.json.prefix}_[0-9a-f]{64}$`));
    const expiresInDays = (Date.parse(created.json.expiresAt) - Date.now()) / 86_400_000;
    expect(expiresInDays).toBeGreaterThan(180);
    expect(expiresInDays).toBeLessThan(184);

    const list = await stack.call('GET', '/api/v1/api-keys', { token: account.adminKey });
    expect(list.status).toBe(200);
    const listed = list.json.items.find((k: { id: string }) => k.id === created.json.id);
    expect(listed).toMatchObject({ description: 'Okta provisioning', scopes: ['scim'], prefix: created.json.prefix });
    expect(list.text).not.toContain(created.json.token.split('_')[3]);
    expect(list.text).not.toMatch(/secretHash|token/);

    const stored = (await partitionItems(account.id)).find((i) => i.id === created.json.id);
    expect(JSON.stringify(stored)).not.toContain(created.json.token.split('_')[3]);
  });

  test('a revoked key is refused at once', async () => {
    const created = await stack.call('POST', '/api/v1/api-keys', {
      token: account.adminKey,
      body: { description: 'short-lived', scopes: ['admin'] },
    });
    expect((await stack.call('GET', '/api/v1/account', { token: created.json.token })).status).toBe(200);
    const revoked = await stack.call('DELETE', `/api/v1/api-keys/${created.json.id}`, { token: account.adminKey });
    expect(revoked.status).toBe(204);
    const after = await stack.call('GET', '/api/v1/account', { token: created.json.token });
    expect(after.status).toBe(401);
    expect(after.json).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
    expect((await stack.call('DELETE', `/api/v1/api-keys/${created.json.id}`, { token: account.adminKey })).status).toBe(404);
  });

  test('a key with the scim scope cannot call the admin API (403 before the handler)', async () => {
    const created = await stack.call('POST', '/api/v1/api-keys', {
      token: account.adminKey,
      body: { description: 'scim only', scopes: ['scim'] },
    });
    const result = await stack.call('GET', '/api/v1/api-keys', { token: created.json.token });
    expect(result.status).toBe(403);
  });

  test('an expired key is refused', async () => {
    const { item, token } = newApiKeyItem(account.id, {
      description: 'expired',
      ownerId: 'svc-none',
      scopes: ['admin'],
      expiresAt: new Date(Date.now() - 1000),
    });
    await stack.db.doc.send(new PutCommand({ TableName: stack.db.tableName, Item: item }));
    expect((await stack.call('GET', '/api/v1/account', { token })).status).toBe(401);
  });

  test("another account's key, a truncated or garbled token, and a missing header are all 401", async () => {
    const other = await createTestAccount(stack, 'Other Co');
    const parts = other.adminKey.split('_');
    const forged = [parts[0], account.id, parts[2], parts[3]].join('_');
    for (const token of [forged, other.adminKey.slice(0, -1), 'garbage', `${account.adminKey}x`]) {
      expect((await stack.call('GET', '/api/v1/account', { token })).status).toBe(401);
    }
    expect((await stack.call('GET', '/api/v1/account', { headers: { Authorization: 'Basic Zm9vOmJhcg==' } })).status).toBe(401);
    expect((await stack.call('GET', '/api/v1/account')).status).toBe(401);
  });

  test('keys of a disabled owner stop working, and work again when the owner is enabled', async () => {
    const invited = await stack.call('POST', '/api/v1/users', {
      token: account.adminKey,
      body: { email: 'owner@keys.example', role: 'admin' },
    });
    expect(invited.status).toBe(201);
    const key = await stack.call('POST', '/api/v1/api-keys', {
      token: account.adminKey,
      body: { description: 'personal', ownerId: invited.json.id, scopes: ['admin'] },
    });
    expect(key.status).toBe(201);
    expect((await stack.call('GET', '/api/v1/account', { token: key.json.token })).status).toBe(200);
    const disabled = await stack.call('PATCH', `/api/v1/users/${invited.json.id}`, {
      token: account.adminKey,
      body: { active: false },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.json.active).toBe(false);
    expect((await stack.call('GET', '/api/v1/account', { token: key.json.token })).status).toBe(401);
    await stack.call('PATCH', `/api/v1/users/${invited.json.id}`, { token: account.adminKey, body: { active: true } });
    expect((await stack.call('GET', '/api/v1/account', { token: key.json.token })).status).toBe(200);
  });

  test('refuses keys for a disabled or unknown owner, past expiry dates and unknown scopes — writing nothing', async () => {
    const before = (await partitionItems(account.id)).length;
    const bodies = [
      { description: 'x', scopes: ['root'] },
      { description: 'x', scopes: [] },
      { description: 'x', scopes: ['scim'], expiresAt: '2001-01-01T00:00:00Z' },
      { description: 'x', scopes: ['scim'], ownerId: 'no-such-user' },
      { description: 'x', scopes: ['scim'], extra: true },
    ];
    for (const body of bodies) {
      const result = await stack.call('POST', '/api/v1/api-keys', { token: account.adminKey, body });
      expect(result.status).toBe(400);
    }
    expect((await partitionItems(account.id)).length).toBe(before);
  });
});

describe('bad input', () => {
  let account: { id: string; adminKey: string };

  beforeAll(async () => {
    account = await createTestAccount(stack, 'Bad Input Ltd');
  });

  test('malformed JSON, wrong content type and oversized bodies get clear errors and write nothing', async () => {
    const before = (await partitionItems(account.id)).length;
    const malformed = await stack.call('POST', '/api/v1/api-keys', { token: account.adminKey, body: '{"description": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error: 'invalid_json' });
    const wrongType = await stack.call('POST', '/api/v1/api-keys', {
      token: account.adminKey,
      body: 'description=x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    const huge = await stack.call('POST', '/api/v1/api-keys', {
      token: account.adminKey,
      body: { description: 'x'.repeat(300 * 1024), scopes: ['scim'] },
    });
    expect(huge.status).toBe(413);
    expect((await partitionItems(account.id)).length).toBe(before);
  });

  test('unknown routes answer 404 in the error schema', async () => {
    const result = await stack.call('GET', '/api/v1/nothing-here', { token: account.adminKey });
    expect(result.status).toBe(404);
    expect(result.json.status).toBe('404');
  });
});
