// The console's SSO forms over real HTTP, for the refusals the browser test does not walk through: the guard and CSRF on
// every new page and form, manual SAML fields incomplete, stale versions, the SCIM delete guard, another account's IdP,
// a domain another account verified, a wrong TXT value. Each refusal changes nothing; successes write the API's audit
// events with the admin as actor and `via: console`.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SESSION_COOKIE } from '../../../shared/auth/sessions.ts';
import { getAccount } from '../../../shared/db/accounts.ts';
import { createApiKey } from '../../../shared/db/api-keys.ts';
import { addDomain, getDomain, markDomainVerified } from '../../../shared/db/domains.ts';
import { createIdp, getIdp, listIdps } from '../../../shared/db/idps.ts';
import { accountPk } from '../../../shared/db/keys.ts';
import type { User } from '../../../shared/db/users.ts';
import { signedInUser } from '../../support/browser.ts';
import { startDnsServer, type TestDnsServer } from '../../support/dns-server.ts';
import { loadKeyPair } from '../../support/saml-idp.ts';
import { createTestAccount, startTestStack, type CallResult, type TestStack } from '../../support/stack.ts';

jest.setTimeout(60_000);

let stack: TestStack;
let dns: TestDnsServer;
let account: { id: string; adminKey: string };
let admin: { user: User; cookie: string };
let member: { user: User; cookie: string };
let csrf: string;
const system = (accountId: string, action: string) =>
  ({ accountId, action, actor: { type: 'system', id: 'test' }, outcome: 'success' }) as const;

beforeAll(async () => {
  dns = await startDnsServer();
  process.env.DNS_SERVERS = dns.address;
  process.env.DNS_TIMEOUT_MS = '300';
  stack = await startTestStack();
  account = await createTestAccount(stack, 'SSO Forms Co');
  admin = await signedInUser(stack.db, account.id, 'admin@sso-forms.example', 'admin');
  member = await signedInUser(stack.db, account.id, 'member@sso-forms.example', 'member');
  const page = await stack.call('GET', '/console/idps', { headers: { Cookie: `${SESSION_COOKIE}=${admin.cookie}` } });
  csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
});

afterAll(async () => {
  await stack?.stop();
  await dns?.stop();
});

const get = (path: string, cookie = admin.cookie) => stack.call('GET', path, { headers: { Cookie: `${SESSION_COOKIE}=${cookie}` } });

function post(path: string, fields: Record<string, string>, options: { csrf?: string; cookie?: string } = {}): Promise<CallResult> {
  return stack.call('POST', path, {
    headers: {
      Cookie: `${SESSION_COOKIE}=${options.cookie ?? admin.cookie}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: stack.baseUrl,
    },
    body: new URLSearchParams({ ...fields, ...(options.csrf === '' ? {} : { _csrf: options.csrf ?? csrf }) }).toString(),
  });
}

async function consoleEvents(action: string) {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(account.id), ':prefix': 'AUDIT#' },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).filter((e) => e.action === action);
}

const samlIdp = (accountId: string, description: string) =>
  createIdp(
    stack.db,
    accountId,
    {
      description,
      type: 'saml',
      entityId: `https://idp.example/${description}`,
      ssoUrl: 'https://idp.example/sso',
      certificates: [loadKeyPair('idp').certBase64],
      allowIdpInitiated: false,
    },
    system(accountId, 'idp.created'),
  );

test('the new pages: no session → login, a member → 403; their forms refuse a missing CSRF token', async () => {
  for (const path of ['/console/idps', '/console/idps/x', '/console/settings', '/console/domains']) {
    const anonymous = await stack.call('GET', path);
    expect([path, anonymous.status]).toEqual([path, 303]);
    expect(new URL(String(anonymous.headers.location)).searchParams.get('returnTo')).toBe(path);
    const asMember = await get(path, member.cookie);
    expect([path, asMember.status]).toEqual([path, 403]);
    expect(asMember.headers['content-security-policy']).toContain("script-src 'self'");
  }
  const forms: [string, Record<string, string>][] = [
    ['/console/idps', { type: 'saml', description: 'x', source: 'manual', entityId: 'e', ssoUrl: 'https://i.example/sso' }],
    ['/console/settings', { provisioning: 'jit', version: '1' }],
    ['/console/domains', { domain: 'csrf.example' }],
    ['/console/domains/csrf.example/verify', {}],
    ['/console/idps/x/idp-initiated', { allow: 'true', version: '1' }],
    ['/console/idps/x/delete', {}],
  ];
  for (const [path, fields] of forms) {
    expect([path, (await post(path, fields, { csrf: '' })).status]).toEqual([path, 403]);
    expect([path, (await post(path, fields, { cookie: member.cookie })).status]).toEqual([path, 403]);
  }
  expect(await listIdps(stack.db, account.id)).toEqual([]);
  expect(await getDomain(stack.db, account.id, 'csrf.example')).toBeUndefined();
  expect((await getAccount(stack.db, account.id))?.provisioning).toBe('invite');
});

test('a SAML IdP entered by hand without its certificate is refused with the reason; with it, it is added', async () => {
  const fields = { type: 'saml', description: 'By hand', source: 'manual', entityId: 'https://idp.example/hand', ssoUrl: 'https://idp.example/sso' };
  const refused = await post('/console/idps', fields);
  expect(refused.status).toBe(400);
  expect(refused.text).toContain('also needs certificate');
  expect(refused.text).toContain('value="https://idp.example/hand"');
  expect(await listIdps(stack.db, account.id)).toEqual([]);

  const added = await post('/console/idps', { ...fields, certificate: loadKeyPair('idp').certPem, allowIdpInitiated: 'on' });
  expect(added.status).toBe(303);
  const id = /\/console\/idps\/([^?]+)\?notice=created$/.exec(String(added.headers.location))?.[1] ?? '';
  expect(await getIdp(stack.db, account.id, id)).toMatchObject({ type: 'saml', entityId: 'https://idp.example/hand', allowIdpInitiated: true });
  const [event] = await consoleEvents('idp.created');
  expect(event).toMatchObject({ actor: { type: 'user', id: admin.user.id }, target: { type: 'idp', id }, details: { via: 'console' } });
});

test('the IdP-initiated toggle from a stale page is refused (409) and changes nothing', async () => {
  const idp = await samlIdp(account.id, 'stale');
  const first = await post(`/console/idps/${idp.id}/idp-initiated`, { allow: 'true', version: String(idp.version) });
  expect(first.status).toBe(303);
  const stale = await post(`/console/idps/${idp.id}/idp-initiated`, { allow: 'false', version: String(idp.version) });
  expect(stale.status).toBe(409);
  expect(stale.text).toContain('Someone changed this identity provider');
  expect(await getIdp(stack.db, account.id, idp.id)).toMatchObject({ allowIdpInitiated: true, version: idp.version + 1 });
});

test("another account's IdP can be neither seen nor deleted", async () => {
  const other = await createTestAccount(stack, 'Other IdP Co');
  const theirs = await samlIdp(other.id, 'theirs');
  expect((await get(`/console/idps/${theirs.id}`)).status).toBe(404);
  expect((await post(`/console/idps/${theirs.id}/delete`, {})).status).toBe(404);
  expect((await post(`/console/idps/${theirs.id}/idp-initiated`, { allow: 'true', version: '1' })).status).toBe(404);
  expect(await getIdp(stack.db, other.id, theirs.id)).toMatchObject({ allowIdpInitiated: false });
});

test('the last IdP cannot be deleted while a SCIM key is live; the page says why', async () => {
  const lone = await createTestAccount(stack, 'Lone IdP Co');
  const loneAdmin = await signedInUser(stack.db, lone.id, 'admin@lone.example', 'admin');
  const page = await get('/console/idps', loneAdmin.cookie);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const idp = await samlIdp(lone.id, 'only');
  await createApiKey(stack.db, lone.id, {
    description: 'scim',
    ownerId: loneAdmin.user.id,
    scopes: ['scim'],
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const refused = await post(`/console/idps/${idp.id}/delete`, {}, { csrf: token, cookie: loneAdmin.cookie });
  expect(refused.status).toBe(409);
  expect(refused.text).toContain('SCIM needs an identity provider');
  expect(await getIdp(stack.db, lone.id, idp.id)).toBeDefined();
});

test('settings: an invalid value and a stale version are refused; the change writes from/to in its audit event', async () => {
  const before = await getAccount(stack.db, account.id);
  const invalid = await post('/console/settings', { provisioning: 'everyone', version: String(before?.version) });
  expect(invalid.status).toBe(400);
  expect(invalid.text).toContain('provisioning must be');
  const saved = await post('/console/settings', { provisioning: 'scim', version: String(before?.version) });
  expect(saved.status).toBe(303);
  const stale = await post('/console/settings', { provisioning: 'jit', version: String(before?.version) });
  expect(stale.status).toBe(409);
  expect(stale.text).toContain('Someone changed the account settings');
  expect((await getAccount(stack.db, account.id))?.provisioning).toBe('scim');
  const events = await consoleEvents('account.settings.updated');
  expect(events.at(-1)).toMatchObject({
    actor: { type: 'user', id: admin.user.id },
    details: { via: 'console', from: { provisioning: 'invite' }, to: { provisioning: 'scim' } },
  });
});

test('domains: invalid name, a domain another account verified, unknown domain, wrong TXT value', async () => {
  expect((await post('/console/domains', { domain: 'no spaces.example' })).status).toBe(400);
  const other = await createTestAccount(stack, 'Owner Co');
  await addDomain(stack.db, other.id, 'owned.example');
  await markDomainVerified(stack.db, other.id, 'owned.example', system(other.id, 'domain.verified'));
  const taken = await post('/console/domains', { domain: 'owned.example' });
  expect(taken.status).toBe(409);
  expect(taken.text).toContain('already verified by another account');
  expect(await getDomain(stack.db, account.id, 'owned.example')).toBeUndefined();

  const unknown = await post('/console/domains/never-added.example/verify', {});
  expect(unknown.status).toBe(404);
  expect(unknown.text).toContain('Add the domain never-added.example before verifying it');

  expect((await post('/console/domains', { domain: 'wrong-value.example' })).status).toBe(303);
  const domain = await getDomain(stack.db, account.id, 'wrong-value.example');
  dns.setTxt(domain?.txtName ?? '', ['identity-verification=not-the-one']);
  const wrong = await post('/console/domains/wrong-value.example/verify', {});
  expect(wrong.status).toBe(422);
  expect(wrong.text).toContain('does not contain the expected value');
  expect(wrong.text).toContain(domain?.txtValue ?? 'missing');
  expect((await getDomain(stack.db, account.id, 'wrong-value.example'))?.verified).toBe(false);
  expect((await consoleEvents('domain.verificationFailed')).at(-1)).toMatchObject({
    outcome: 'failure',
    reason: 'wrong_value',
    actor: { type: 'user', id: admin.user.id },
    target: { type: 'domain', id: 'wrong-value.example' },
  });
});
