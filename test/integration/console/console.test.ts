// The admin console end to end in Chromium (playwright-core, Debian's chromium) on the local server: sign-in redirect,
// 403 for members, invite / disable / enable, Enable SCIM (token shown once and accepted by the authorizer), expiry
// warning, revoke, the IP allowlist (invalid entry, lock-out warning), and every step in the Audit log page.
// Screenshots of each page go to test/artifacts/ (git-ignored).
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { decide } from '../../../shared/auth/authorize.ts';
import { getAccount } from '../../../shared/db/accounts.ts';
import { createApiKey } from '../../../shared/db/api-keys.ts';
import { createIdp } from '../../../shared/db/idps.ts';
import { getUserItemByEmail, type User } from '../../../shared/db/users.ts';
import { addSessionCookie, launchBrowser, signedInUser, type TestBrowser } from '../../support/browser.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

const ARTIFACTS = resolve('test/artifacts');
// A browser round trip per step: well above the 5 s default on a shared two-core machine.
jest.setTimeout(60_000);

let stack: TestStack;
let account: { id: string; adminKey: string };
let admin: { user: User; cookie: string };
let browser: TestBrowser | undefined;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startTestStack();
  account = await createTestAccount(stack, 'Console Co');
  admin = await signedInUser(stack.db, account.id, 'ada@console.example', 'admin');
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  // Disable and Revoke ask first (data-confirm); the tests say yes.
  page.on('dialog', (dialog) => void dialog.accept());
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const url = (path: string) => `${stack.baseUrl}${path}`;
const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

test('without a session the console sends the browser to the login page, with returnTo', async () => {
  const response = await page.goto(url('/console/api-keys'));
  const landed = new URL(page.url());
  expect(landed.pathname).toBe('/login');
  expect(landed.searchParams.get('returnTo')).toBe('/console/api-keys');
  expect(response?.request().redirectedFrom()?.url()).toBe(url('/console/api-keys'));
});

test('a signed-in member sees a 403 page, not the console', async () => {
  const member = await signedInUser(stack.db, account.id, 'max@console.example', 'member');
  await addSessionCookie(browser!.context, member.cookie);
  const response = await page.goto(url('/console/users'));
  expect(response?.status()).toBe(403);
  await expect(page.locator('h1').textContent()).resolves.toBe('Admins only');
  expect(await page.locator('nav').count()).toBe(0);
  await shot('forbidden');
});

test('an admin invites a user, then disables and re-enables them', async () => {
  await addSessionCookie(browser!.context, admin.cookie);
  const response = await page.goto(url('/console/users'));
  expect(response?.status()).toBe(200);
  // The stylesheet is served from our origin under the CSP and applies.
  // (Page-side code as strings: the project's TypeScript has no DOM library.)
  expect(await page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")).toBe('rgb(29, 35, 48)');

  await page.fill('#email', 'grace@console.example');
  await page.fill('#displayName', 'Grace Hopper');
  await page.selectOption('#role', 'admin');
  await page.click('#invite');
  await page.waitForURL(/notice=invited/);
  const row = page.locator('tr[data-user="grace@console.example"]');
  await expect(row.locator('td').allTextContents()).resolves.toEqual(['grace@console.example', 'Grace Hopper', 'Invite', 'Active', 'admin', 'Disable']);

  // The same email again (different case) is refused on the page, with the form kept.
  await page.fill('#email', 'Grace@Console.example');
  await page.click('#invite');
  await expect(page.locator('.error').textContent()).resolves.toContain('already exists');
  expect(await page.inputValue('#email')).toBe('Grace@Console.example');

  await row.locator('button', { hasText: 'Disable' }).click();
  await page.waitForURL(/notice=disabled/);
  await expect(row.locator('td').nth(3).textContent()).resolves.toBe('Disabled');
  expect((await getUserItemByEmail(stack.db, account.id, 'grace@console.example'))?.active).toBe(false);
  await shot('users');

  await row.locator('button', { hasText: 'Enable' }).click();
  await page.waitForURL(/notice=enabled/);
  expect((await getUserItemByEmail(stack.db, account.id, 'grace@console.example'))?.active).toBe(true);
  // No button to disable yourself.
  await expect(page.locator('tr[data-user="ada@console.example"] td').last().textContent()).resolves.toBe('you');
});

let scimToken = '';
let scimKeyId = '';

test('Enable SCIM needs an IdP; then it shows a working scim token once, with the base URL and IdP field names', async () => {
  await page.goto(url('/console/api-keys'));
  expect(await page.locator('#enable-scim').count()).toBe(0);
  await expect(page.locator('main').textContent()).resolves.toContain('Add one first');

  await createIdp(
    stack.db,
    account.id,
    { description: 'Test OIDC', type: 'oidc', issuer: 'https://idp.console.example', clientId: 'c', clientSecretEncrypted: 'x' },
    { accountId: account.id, action: 'idp.created', actor: { type: 'system', id: 'test' }, outcome: 'success' },
  );
  await page.goto(url('/console/api-keys'));
  await page.click('#enable-scim');
  await page.waitForSelector('#scim-token');
  scimToken = (await page.locator('#scim-token').textContent())?.trim() ?? '';
  expect(scimToken).toMatch(/^ik_/);
  await expect(page.locator('#scim-base-url').textContent()).resolves.toBe(`${stack.baseUrl}/scim/v2`);
  const help = (await page.locator('#scim-created').textContent()) ?? '';
  for (const name of ['Base URL', 'API Token', 'Tenant URL', 'Secret Token', 'Okta', 'Microsoft Entra ID']) expect(help).toContain(name);
  await shot('api-keys-scim');

  // The copy button works under the CSP (its script is the same-origin file).
  await browser!.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
  await page.click('button[data-copy="scim-token"]');
  await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(scimToken);

  // The token is a real scim key: the authorizer allows it with exactly the scim scope, and through the gateway it is
  // a valid key (403 on an admin route, not 401).
  const decision = await decide(stack.db, { authorization: `Bearer ${scimToken}`, sourceIp: '127.0.0.1' });
  expect(decision).toMatchObject({ effect: 'allow', accountId: account.id, scopes: ['scim'] });
  scimKeyId = decision.effect === 'allow' ? decision.keyId : '';
  expect((await stack.call('GET', '/api/v1/api-keys', { token: scimToken })).status).toBe(403);
  expect((await stack.call('GET', '/api/v1/api-keys', { token: `${scimToken.slice(0, -4)}0000` })).status).toBe(401);

  // Shown once: the list shows the key (now used), never the token again.
  await page.goto(url('/console/api-keys'));
  expect(await page.content()).not.toContain(scimToken);
  const row = page.locator(`tr[data-key="${scimKeyId}"]`);
  await expect(row.locator('td').nth(2).textContent()).resolves.toBe('scim');
  await expect(row.locator('td').nth(5).textContent()).resolves.toMatch(/UTC$/);
});

test('a key expiring within 14 days is flagged; revoke stops the scim key at once', async () => {
  const { key } = await createApiKey(stack.db, account.id, {
    description: 'Expiring soon',
    ownerId: admin.user.id,
    scopes: ['admin'],
    expiresAt: new Date(Date.now() + 3 * 86_400_000 + 60_000),
  });
  await page.goto(url('/console/api-keys'));
  await expect(page.locator(`tr[data-key="${key.id}"] .badge.warn`).textContent()).resolves.toBe('expires in 4 d');
  await expect(page.locator('.warning').first().textContent()).resolves.toContain('within 14 days');
  await shot('api-keys');

  await page.locator(`tr[data-key="${scimKeyId}"] button`, { hasText: 'Revoke' }).click();
  await page.waitForURL(/notice=revoked/);
  expect(await page.locator(`tr[data-key="${scimKeyId}"]`).count()).toBe(0);
  expect(await decide(stack.db, { authorization: `Bearer ${scimToken}`, sourceIp: '127.0.0.1' })).toEqual({ effect: 'unauthenticated' });
});

test('IP allowlist: an invalid entry saves nothing; locking yourself out needs a second click', async () => {
  await page.goto(url('/console/ip-allowlist'));
  await expect(page.locator('main').textContent()).resolves.toContain('applies to the API');
  await expect(page.locator('#current-ip').textContent()).resolves.toBe('127.0.0.1');

  await page.fill('#cidrs', '192.0.2.0/24\n10.0.0.0/33');
  await page.click('#save-allowlist');
  await expect(page.locator('.error').textContent()).resolves.toContain('"10.0.0.0/33" has a prefix length outside 0–32');
  expect(await page.inputValue('#cidrs')).toBe('192.0.2.0/24\n10.0.0.0/33');
  expect((await getAccount(stack.db, account.id))?.ipAllowlist).toEqual([]);

  await page.fill('#cidrs', '10.0.0.0/8');
  await page.click('#save-allowlist');
  await expect(page.locator('.warning').textContent()).resolves.toContain('127.0.0.1 is not in this list');
  expect((await getAccount(stack.db, account.id))?.ipAllowlist).toEqual([]);
  await shot('ip-allowlist');
  await expect(page.locator('#save-allowlist').textContent()).resolves.toBe('Save anyway');
  await page.click('#save-allowlist');
  await page.waitForURL(/notice=saved/);
  expect((await getAccount(stack.db, account.id))?.ipAllowlist).toEqual(['10.0.0.0/8']);
  await expect(page.locator('.warning').textContent()).resolves.toContain('outside the saved allowlist');
  expect((await stack.call('GET', '/api/v1/account', { token: account.adminKey })).status).toBe(403);

  // Including your own address saves without a question.
  await page.fill('#cidrs', '10.0.0.0/8, 127.0.0.1/32');
  await page.click('#save-allowlist');
  await page.waitForURL(/notice=saved/);
  expect((await getAccount(stack.db, account.id))?.ipAllowlist).toEqual(['10.0.0.0/8', '127.0.0.1/32']);
  expect((await stack.call('GET', '/api/v1/account', { token: account.adminKey })).status).toBe(200);
});

test('the Audit log page shows each step, filters by type and outcome, and pages with a cursor', async () => {
  await page.goto(url('/console/audit'));
  const actions = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  for (const action of ['user.invited', 'user.disabled', 'user.enabled', 'apiKey.created', 'apiKey.revoked', 'account.ipAllowlist.updated']) {
    expect(actions).toContain(action);
  }
  const invited = page.locator('tr[data-action="user.invited"]').first();
  // People show by email (1 BatchGetItem per page), with the id on hover; the target is the invited user.
  await expect(invited.locator('td').nth(2).textContent()).resolves.toBe('user ada@console.example');
  await expect(invited.locator('td').nth(2).locator('span').getAttribute('title')).resolves.toBe(admin.user.id);
  await expect(invited.locator('td').nth(3).textContent()).resolves.toBe('user grace@console.example');
  await expect(invited.locator('td').nth(5).textContent()).resolves.toBe('127.0.0.1');
  await shot('audit');

  await page.fill('#type', 'user');
  await page.click('button:has-text("Filter")');
  const filtered = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  expect(filtered.length).toBeGreaterThan(0);
  expect(filtered.every((a) => a?.startsWith('user.'))).toBe(true);

  // An actor links to the log filtered by that actor: only the admin's own console actions (and their login) remain.
  await invited.locator('td').nth(2).locator('a').click();
  expect(new URL(page.url()).searchParams.get('actor')).toBe(admin.user.id);
  const byAdmin = await page.locator('tbody tr td:nth-child(3)').allTextContents();
  expect(byAdmin.length).toBeGreaterThanOrEqual(6);
  expect(new Set(byAdmin)).toEqual(new Set(['user ada@console.example']));

  await page.goto(url('/console/audit?outcome=failure'));
  await expect(page.locator('tbody').textContent()).resolves.toContain('No events match');

  await page.goto(url('/console/audit?type=user&limit=2'));
  const first = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent));
  expect(first).toHaveLength(2);
  await page.click('#next-page');
  expect(new URL(page.url()).searchParams.get('type')).toBe('user');
  const second = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent));
  expect(second.length).toBeGreaterThan(0);
  expect(second.some((row) => first.includes(row))).toBe(false);

  await page.goto(url('/console/audit?since=yesterday'));
  await expect(page.locator('.error').textContent()).resolves.toContain('since must be an ISO 8601 time');
});

test('no page broke its Content-Security-Policy', () => {
  expect(cspViolations).toEqual([]);
});
