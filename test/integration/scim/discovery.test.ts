// Discovery endpoints describe exactly what the server supports, in the SCIM media type, behind the scim key.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { createScimAccount, type ScimAccount } from './scim-account.ts';

// Multi-step sequences over real HTTP on a machine shared with other test runs.
jest.setTimeout(60_000);

let stack: TestStack;
let account: ScimAccount;

beforeAll(async () => {
  stack = await startTestStack();
  account = await createScimAccount(stack, 'Discovery Co', 'discovery.example');
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

test('ServiceProviderConfig states patch, filter with maxResults, sort, etag, no bulk, no changePassword, bearer auth', async () => {
  const res = await account.scim('GET', '/ServiceProviderConfig');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(res.json).toMatchObject({
    patch: { supported: true },
    bulk: { supported: false },
    filter: { supported: true, maxResults: 200 },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    pagination: { cursor: true, index: true },
    authenticationSchemes: [{ type: 'oauthbearertoken', primary: true }],
  });
});

test('ResourceTypes and Schemas list and fetch by id', async () => {
  const types = await account.scim('GET', '/ResourceTypes');
  expect(types.json.totalResults).toBe(2);
  expect(types.json.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
  const user = await account.scim('GET', '/ResourceTypes/User');
  expect(user.json).toMatchObject({
    endpoint: '/Users',
    schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
    schemaExtensions: [
      { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
      { schema: 'urn:ietf:params:scim:schemas:extension:identity:2.0:User', required: false },
    ],
  });
  const schemas = await account.scim('GET', '/Schemas');
  expect(schemas.json.Resources.map((s: { id: string }) => s.id)).toContain('urn:ietf:params:scim:schemas:core:2.0:Group');
  const core = await account.scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User');
  expect(core.status).toBe(200);
  const userName = core.json.attributes.find((a: { name: string }) => a.name === 'userName');
  expect(userName).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
  const missing = await account.scim('GET', '/Schemas/urn:nope');
  expect(missing.status).toBe(404);
  expect(missing.json).toEqual({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: '404',
    detail: expect.stringContaining('urn:nope'),
  });
});

test('a bad token gets 401 and an admin-only key 403, both in the SCIM error schema', async () => {
  const bad = await stack.call('GET', '/scim/v2/Users', { token: 'ik_nope' });
  expect(bad.status).toBe(401);
  expect(bad.json).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
  const admin = await stack.call('GET', '/scim/v2/Users', { token: account.adminKey });
  expect(admin.status).toBe(403);
  expect(admin.json).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403' });
});
