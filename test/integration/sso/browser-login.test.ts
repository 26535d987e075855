// One real browser through the whole sign-in: headless Chromium (Debian's, driven by playwright-core) types an email on
// /login, picks one of the account's two IdPs by its description, signs in on a real oidc-provider's form, and lands
// signed in — the __Host- session cookie set over http://127.0.0.1 and /me answering who.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { launchBrowser, type TestBrowser } from '../../support/browser.ts';
import { addPlaceholderIdp, createOidcTestAccount, type OidcTestAccount } from '../../support/oidc-idp.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

jest.setTimeout(90_000);

let stack: TestStack;
let acme: OidcTestAccount;
let browser: TestBrowser | undefined;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  stack = await startTestStack();
  acme = await createOidcTestAccount(stack, {
    provisioning: 'jit',
    domain: 'browser.example',
    users: [{ email: 'grace@browser.example', password: PASSWORD, givenName: 'Grace', familyName: 'Hopper' }],
  });
  // A second IdP, so the login page must offer a choice.
  await addPlaceholderIdp(stack.db, acme.accountId);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await acme?.idp.stop();
  await stack?.stop();
});

test('/login → email → the IdP chooser → the IdP’s form → signed in, /me in the same browser', async () => {
  const page = await browser!.context.newPage();
  await page.goto(`${stack.baseUrl}/login`);
  await page.fill('input[name="email"]', 'grace@browser.example');
  await page.click('button[type="submit"]');

  const choices = page.locator('a.idp');
  expect(await choices.allTextContents()).toEqual(expect.arrayContaining(['Continue with Test OIDC IdP', 'Continue with Placeholder IdP']));
  await page.click('a.idp:has-text("Test OIDC IdP")');

  // The provider's own sign-in form, on its own origin.
  await page.waitForURL((url) => url.origin === acme.idp.issuer.replace(/\/$/, '') || url.href.startsWith(acme.idp.issuer));
  await page.fill('input[name="email"]', 'grace@browser.example');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');

  await page.waitForURL(`${stack.baseUrl}/me`);
  const me = JSON.parse((await page.locator('body').innerText()).trim());
  expect(me).toMatchObject({ email: 'grace@browser.example', accountId: acme.accountId, role: 'member' });
  const cookies = await browser!.context.cookies(stack.baseUrl);
  expect(cookies.find((c) => c.name === '__Host-session')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  await page.close();
});
