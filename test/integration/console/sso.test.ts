// The console's SSO pages end to end in Chromium on the local server: add an OIDC IdP pointing at a real oidc-provider,
// "Test sign-in" through it in the browser (the IdP is then marked tested), enforcement refused before that (the
// lock-out guard explained) and accepted after, provisioning, a SAML IdP from an uploaded metadata file with its
// IdP-initiated toggle, delete guards, a domain verified against a DNS server on 127.0.0.1 — and each step in the Audit
// log page. Screenshots of each page go to test/artifacts/ (git-ignored).
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { getAccount } from '../../../shared/db/accounts.ts';
import { getDomain } from '../../../shared/db/domains.ts';
import { getIdp, listIdps } from '../../../shared/db/idps.ts';
import type { User } from '../../../shared/db/users.ts';
import { addSessionCookie, launchBrowser, signedInUser, type TestBrowser } from '../../support/browser.ts';
import { startDnsServer, type TestDnsServer } from '../../support/dns-server.ts';
import { startTestOidcIdp, type TestOidcIdp } from '../../support/oidc-idp.ts';
import { loadKeyPair } from '../../support/saml-idp.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

const ARTIFACTS = resolve('test/artifacts');
// A browser round trip per step, an IdP sign-in and DNS lookups: well above the 5 s default on a shared two-core machine.
jest.setTimeout(90_000);

const EMAIL = 'ada@console-sso.example';
const PASSWORD = 'correct horse battery staple';
const CLIENT_SECRET = 'console-client-secret-5f2a9c';

let stack: TestStack;
let dns: TestDnsServer;
let oidc: TestOidcIdp;
let account: { id: string; adminKey: string };
let admin: { user: User; cookie: string };
let browser: TestBrowser | undefined;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  dns = await startDnsServer();
  process.env.DNS_SERVERS = dns.address;
  process.env.DNS_TIMEOUT_MS = '300';
  oidc = await startTestOidcIdp({
    // The redirect URI is registered once the console has shown it (as an admin pastes it into the IdP).
    clients: [{ clientId: 'console-rp', clientSecret: CLIENT_SECRET, redirectUris: ['http://127.0.0.1/not-yet'] }],
    users: [{ email: EMAIL, password: PASSWORD, givenName: 'Ada', familyName: 'Lovelace' }],
  });
  stack = await startTestStack();
  account = await createTestAccount(stack, 'Console SSO Co');
  admin = await signedInUser(stack.db, account.id, EMAIL, 'admin');
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('dialog', (dialog) => void dialog.accept());
  await addSessionCookie(browser.context, admin.cookie);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await oidc?.stop();
  await dns?.stop();
});

const url = (path: string) => `${stack.baseUrl}${path}`;
const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
let oidcIdpId = '';

test('enforcement is refused before any IdP completed a test sign-in, and the page explains the lock-out guard', async () => {
  const response = await page.goto(url('/console/settings'));
  expect(response?.status()).toBe(200);
  await page.check('input[name="enforcement"][value="enforced"]');
  await page.click('#save-enforcement');
  await expect(page.locator('#lockout-guard').textContent()).resolves.toContain('has completed a successful test sign-in');
  expect(await page.locator('#lockout-guard a').getAttribute('href')).toBe('/console/idps');
  expect((await getAccount(stack.db, account.id))?.enforcement).toBe('mixed');
  await shot('settings-refused');
});

test('an admin adds an OIDC IdP: discovery runs, the redirect URI is shown with a copy button, the secret never', async () => {
  await page.goto(url('/console/idps'));
  await expect(page.locator('tbody').textContent()).resolves.toContain('No identity provider yet');
  // A wrong issuer is refused on the page, the form kept but not the secret.
  await page.fill('#oidc-description', 'Demo OIDC');
  await page.fill('#issuer', `${oidc.issuer}/nope`);
  await page.fill('#clientId', 'console-rp');
  await page.fill('#clientSecret', CLIENT_SECRET);
  await page.click('#add-oidc-idp');
  await expect(page.locator('.error').textContent()).resolves.toMatch(/issuer|discovery/i);
  expect(await page.inputValue('#issuer')).toBe(`${oidc.issuer}/nope`);
  expect(await page.inputValue('#clientSecret')).toBe('');
  expect(await page.content()).not.toContain(CLIENT_SECRET);
  expect(await listIdps(stack.db, account.id)).toEqual([]);

  await page.fill('#issuer', oidc.issuer);
  await page.fill('#clientSecret', CLIENT_SECRET);
  await page.click('#add-oidc-idp');
  await page.waitForURL(/\/console\/idps\/[^/?]+\?notice=created$/);
  oidcIdpId = new URL(page.url()).pathname.split('/').pop() ?? '';
  const stored = await getIdp(stack.db, account.id, oidcIdpId);
  expect(stored).toMatchObject({ type: 'oidc', issuer: oidc.issuer, clientId: 'console-rp', description: 'Demo OIDC' });
  expect(stored?.testedAt).toBeUndefined();
  const redirectUri = (await page.locator('#oidc-redirect-uri').textContent())?.trim();
  expect(redirectUri).toBe(`${stack.baseUrl}/sso/oidc/${oidcIdpId}/callback`);
  expect(await page.content()).not.toContain(CLIENT_SECRET);
  await expect(page.locator('#tested-state').textContent()).resolves.toBe('not tested');

  await browser!.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
  await page.click('button[data-copy="oidc-redirect-uri"]');
  await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(redirectUri);

  // The admin pastes the redirect URI into the IdP's client settings.
  const client = await oidc.provider.Client.find('console-rp');
  (client!.redirectUris as string[]).push(redirectUri as string);
});

test('"Test sign-in" runs a real login at the IdP and comes back with the IdP marked tested', async () => {
  await page.click('#test-sign-in');
  await page.waitForURL((u) => u.origin === oidc.issuer);
  await page.fill('input[name="email"]', EMAIL);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL(url(`/console/idps/${oidcIdpId}?notice=tested`));
  await expect(page.locator('.notice').textContent()).resolves.toContain('marked tested');
  await expect(page.locator('#tested-state').textContent()).resolves.toMatch(/^tested \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  expect((await getIdp(stack.db, account.id, oidcIdpId))?.testedAt).toBeDefined();
  // docs/console-idp.png is a copy of this one (copied by hand, so test runs leave the tree clean).
  await shot('idp-oidc');

  await page.goto(url('/console/idps'));
  await expect(page.locator(`tr[data-idp="${oidcIdpId}"] td`).nth(3).textContent()).resolves.toMatch(/^tested /);
});

test('with a tested IdP, SSO is enforced; provisioning switches to JIT', async () => {
  await page.goto(url('/console/settings'));
  await expect(page.locator('main').textContent()).resolves.toContain('Tested identity providers: Demo OIDC');
  await page.check('input[name="enforcement"][value="enforced"]');
  await page.click('#save-enforcement');
  await page.waitForURL(/notice=saved/);
  expect(await page.isChecked('input[name="enforcement"][value="enforced"]')).toBe(true);
  await page.check('input[name="provisioning"][value="jit"]');
  await page.click('#save-provisioning');
  await page.waitForURL(/notice=saved/);
  expect(await getAccount(stack.db, account.id)).toMatchObject({ enforcement: 'enforced', provisioning: 'jit' });
  await shot('settings');
});

test('a SAML IdP from an uploaded metadata file; the IdP-initiated toggle; delete guards', async () => {
  const keys = loadKeyPair('idp');
  const metadata =
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="http://www.okta.com/console-test">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${keys.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://example.okta.com/app/sso"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`;
  const file = `${ARTIFACTS}/console-test-metadata.xml`;
  await writeFile(file, metadata);

  await page.goto(url('/console/idps'));
  await page.fill('#saml-description', 'Okta SAML');
  await page.check('input[name="source"][value="metadataXml"]');
  await page.setInputFiles('#metadataFile', file);
  // console.js reads the file into the textarea; only the textarea is sent.
  await page.waitForFunction(`document.getElementById('metadataXml').value.includes('console-test')`);
  // A metadata URL typed in the unused field is ignored: only the chosen source is sent.
  await page.fill('#metadataUrl', 'https://ignored.example/metadata');
  await page.click('#add-saml-idp');
  await page.waitForURL(/notice=created$/);
  const samlId = new URL(page.url()).pathname.split('/').pop() ?? '';
  expect(await getIdp(stack.db, account.id, samlId)).toMatchObject({
    type: 'saml',
    entityId: 'http://www.okta.com/console-test',
    ssoUrl: 'https://example.okta.com/app/sso',
    certificates: [keys.certBase64],
    allowIdpInitiated: false,
  });
  await expect(page.locator('#sp-entity-id').textContent()).resolves.toBe(`${stack.baseUrl}/sso/saml/${samlId}/metadata`);
  await expect(page.locator('#sp-acs-url').textContent()).resolves.toBe(`${stack.baseUrl}/sso/saml/${samlId}/acs`);
  await expect(page.locator('#sp-metadata-url').textContent()).resolves.toBe(`${stack.baseUrl}/sso/saml/${samlId}/metadata`);
  await expect(page.locator('#idp-initiated-state').textContent()).resolves.toBe('refused');
  await page.click('#toggle-idp-initiated');
  await page.waitForURL(/notice=updated/);
  await expect(page.locator('#idp-initiated-state').textContent()).resolves.toBe('allowed');
  expect(await getIdp(stack.db, account.id, samlId)).toMatchObject({ allowIdpInitiated: true });
  await shot('idp-saml');

  // The untested SAML IdP may go; the last tested one may not while SSO is enforced.
  await page.click('#delete-idp');
  await page.waitForURL(/\/console\/idps\?notice=deleted$/);
  expect(await getIdp(stack.db, account.id, samlId)).toBeUndefined();
  await page.goto(url(`/console/idps/${oidcIdpId}`));
  await page.click('#delete-idp');
  await expect(page.locator('.error').textContent()).resolves.toContain('would lock everyone out');
  await expect(page.locator('.error').textContent()).resolves.toContain('Enforcement & provisioning page');
  expect(await getIdp(stack.db, account.id, oidcIdpId)).toBeDefined();
  await page.goto(url('/console/idps'));
  await shot('idps');
});

test('a domain: add it, see the TXT record, Verify fails until it is published, then succeeds', async () => {
  await page.goto(url('/console/domains'));
  await page.fill('#domain', 'Console-SSO.example');
  await page.click('#add-domain');
  await page.waitForURL(/notice=added/);
  const row = page.locator('tr[data-domain="console-sso.example"]');
  const txtName = (await row.locator('[id^="txt-name-"]').textContent())?.trim() ?? '';
  const txtValue = (await row.locator('[id^="txt-value-"]').textContent())?.trim() ?? '';
  expect(txtName).toBe('_identity-challenge.console-sso.example');
  expect(txtValue).toBe((await getDomain(stack.db, account.id, 'console-sso.example'))?.txtValue);
  await expect(row.locator('td').nth(3).textContent()).resolves.toBe('pending');

  await row.locator('button', { hasText: 'Verify' }).click();
  await expect(page.locator('.error').textContent()).resolves.toContain(`No TXT record was found at ${txtName}`);
  expect((await getDomain(stack.db, account.id, 'console-sso.example'))?.verified).toBe(false);

  dns.setTxt(txtName, [txtValue]);
  await row.locator('button', { hasText: 'Verify' }).click();
  await page.waitForURL(/notice=verified/);
  await expect(row.locator('td').nth(3).textContent()).resolves.toMatch(/^verified /);
  expect(await row.locator('button', { hasText: 'Verify' }).count()).toBe(0);
  expect((await getDomain(stack.db, account.id, 'console-sso.example'))?.verified).toBe(true);
  expect(dns.queries).toContain(txtName);
  await shot('domains');

  // An invalid name is refused on the page.
  await page.fill('#domain', 'not a domain');
  await page.click('#add-domain');
  await expect(page.locator('.error').count()).resolves.toBe(1);
  expect(await page.inputValue('#domain')).toBe('not a domain');
});

test('the Audit log page shows each step with the admin (or the IdP, for the sign-in) as actor', async () => {
  await page.goto(url('/console/audit?limit=100'));
  const rows = await page
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-action'), tr.children[2]?.textContent ?? '', tr.children[4]?.textContent ?? '']));
  const find = (action: string) => rows.filter((r) => r[0] === action);
  for (const action of ['idp.created', 'idp.updated', 'idp.deleted', 'account.settings.updated', 'domain.added', 'domain.verified']) {
    expect(find(action).length).toBeGreaterThan(0);
    for (const row of find(action)) expect(row[1]).toBe(`user ${EMAIL}`);
  }
  expect(find('idp.created')).toHaveLength(2);
  expect(find('account.settings.updated')).toHaveLength(2);
  expect(find('idp.tested')).toEqual([['idp.tested', `idp ${oidcIdpId}`, 'success']]);
  expect(find('login.succeeded').some((r) => r[1] === `idp ${oidcIdpId}`)).toBe(true);
  expect(find('domain.verificationFailed')).toEqual([['domain.verificationFailed', `user ${EMAIL}`, 'failure no_record']]);
  await shot('audit-sso');
});

test('no page broke its Content-Security-Policy', () => {
  expect(cspViolations).toEqual([]);
});
