// The shared last step of SSO against DynamoDB Local: provisioning modes, disabled users, sessions, audit.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { completeLogin } from '../../../shared/auth/complete-login.ts';
import { sessionCookieValue, validateSession } from '../../../shared/auth/sessions.ts';
import { updateAccountSettings } from '../../../shared/db/accounts.ts';
import type { AuditEvent } from '../../../shared/db/audit.ts';
import { addDomain, markDomainVerified } from '../../../shared/db/domains.ts';
import { createIdp, getIdp, type Idp } from '../../../shared/db/idps.ts';
import { accountPk } from '../../../shared/db/keys.ts';
import { getUserItemByEmail, setUserActive } from '../../../shared/db/users.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;
let accountId: string;
let idp: Idp;
const system = (action: string): AuditEvent => ({ accountId, action, actor: { type: 'system', id: 't' }, outcome: 'success' });

beforeAll(async () => {
  stack = await startTestStack();
  accountId = (await createTestAccount(stack, 'Login Co')).id;
  await addDomain(stack.db, accountId, 'login.example');
  await markDomainVerified(stack.db, accountId, 'login.example', system('domain.verified'));
  idp = await createIdp(
    stack.db,
    accountId,
    {
      type: 'saml',
      description: 'Okta',
      entityId: 'https://idp.example/okta',
      ssoUrl: 'https://idp.example/sso',
      certificates: ['MIIB'],
      allowIdpInitiated: false,
    },
    system('idp.created'),
  );
});

afterAll(async () => {
  await stack?.stop();
});

const cookieOf = (setCookie: string[] | undefined) => sessionCookieValue(setCookie?.[0]?.split(';')[0]);

async function auditActions(): Promise<{ action: string; reason?: string }[]> {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':p': 'AUDIT#' },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).map((i) => ({ action: i.action as string, reason: i.reason as string | undefined }));
}

describe('completeLogin', () => {
  test('invite mode refuses an unknown user, and audits why', async () => {
    const response = await completeLogin(stack.db, { idp, sourceIp: '198.51.100.1' }, { email: 'new@login.example', emailVerified: true });
    expect(response.status).toBe(403);
    expect(response.html).toContain('not provisioned');
    expect(await getUserItemByEmail(stack.db, accountId, 'new@login.example')).toBeUndefined();
    expect(await auditActions()).toContainEqual({ action: 'login.failed', reason: 'not_provisioned' });
  });

  test('JIT creates the user in a verified domain, starts a session, and refreshes names on the next login', async () => {
    await updateAccountSettings(stack.db, accountId, { provisioning: 'jit' }, system('account.settings.updated'));
    const first = await completeLogin(
      stack.db,
      { idp, sourceIp: '198.51.100.1', returnTo: '/dashboard?tab=1' },
      { email: 'Jane@Login.example', emailVerified: true, givenName: 'Jane' },
    );
    expect(first.status).toBe(302);
    expect(first.headers?.Location).toBe('/dashboard?tab=1');
    const setCookie = first.multiHeaders?.['Set-Cookie'];
    expect(setCookie?.[0]).toMatch(/^__Host-session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=\d+$/);
    const session = await validateSession(stack.db, cookieOf(setCookie));
    expect(session?.user).toMatchObject({ email: 'Jane@Login.example', source: 'jit', role: 'member', givenName: 'Jane' });

    await completeLogin(stack.db, { idp, sourceIp: '198.51.100.1' }, { email: 'jane@login.example', emailVerified: true, givenName: 'Janet' });
    expect((await getUserItemByEmail(stack.db, accountId, 'jane@login.example'))?.givenName).toBe('Janet');
  });

  test('JIT refuses an email outside the verified domains', async () => {
    const response = await completeLogin(stack.db, { idp, sourceIp: '198.51.100.1' }, { email: 'x@elsewhere.example', emailVerified: true });
    expect(response.status).toBe(403);
    expect(await getUserItemByEmail(stack.db, accountId, 'x@elsewhere.example')).toBeUndefined();
  });

  test('an unverified email is refused', async () => {
    const response = await completeLogin(stack.db, { idp, sourceIp: '198.51.100.1' }, { email: 'jane@login.example', emailVerified: false });
    expect(response.status).toBe(403);
    expect(response.multiHeaders).toBeUndefined();
  });

  test('an open-redirect returnTo falls back to the default page', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example', '/\\evil.example', '/%2fevil.example', 'javascript:alert(1)']) {
      const response = await completeLogin(stack.db, { idp, sourceIp: '198.51.100.1', returnTo }, { email: 'jane@login.example', emailVerified: true });
      expect(response.headers?.Location).toBe('/me');
    }
  });

  test('disabling a user ends their sessions and refuses their next login', async () => {
    const response = await completeLogin(stack.db, { idp, sourceIp: '198.51.100.1' }, { email: 'jane@login.example', emailVerified: true });
    const cookie = cookieOf(response.multiHeaders?.['Set-Cookie']);
    expect(await validateSession(stack.db, cookie)).toBeDefined();
    const user = await getUserItemByEmail(stack.db, accountId, 'jane@login.example');
    await setUserActive(stack.db, accountId, user?.id ?? '', false, system('user.disabled'));
    expect(await validateSession(stack.db, cookie)).toBeUndefined();
    const again = await completeLogin(stack.db, { idp, sourceIp: '198.51.100.1' }, { email: 'jane@login.example', emailVerified: true });
    expect(again.status).toBe(403);
    expect(again.html).toContain('disabled');
  });

  test('a test login marks the IdP as tested', async () => {
    await completeLogin(stack.db, { idp, sourceIp: '198.51.100.1', test: true }, { email: 'tester@login.example', emailVerified: true });
    expect((await getIdp(stack.db, accountId, idp.id))?.testedAt).toBeDefined();
  });

  test('forged or malformed session cookies are not sessions', async () => {
    const response = await completeLogin(stack.db, { idp, sourceIp: '198.51.100.1' }, { email: 'tester@login.example', emailVerified: true });
    const cookie = cookieOf(response.multiHeaders?.['Set-Cookie']) ?? '';
    const forged = cookie.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(await validateSession(stack.db, forged)).toBeUndefined();
    expect(await validateSession(stack.db, 'garbage')).toBeUndefined();
    expect(await validateSession(stack.db, undefined)).toBeUndefined();
    expect(await validateSession(stack.db, cookie)).toBeDefined();
  });
});
