// Browser tests: Debian's Chromium driven by playwright-core, and dashboard sign-in for them. The session is created
// directly with createSession (what a successful SSO login does) and its cookie handed to the browser context.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { SESSION_COOKIE, createSession } from '../../shared/auth/sessions.ts';
import type { Db } from '../../shared/db/client.ts';
import { createUser, type Role, type User } from '../../shared/db/users.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  /** Closes the browser and removes its profile directory; safe to call twice. */
  close(): Promise<void>;
}

/** A fresh Chromium with its own temporary profile. Close it in afterAll, also when a test failed. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'console-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  return {
    context,
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A person user of the account and a live session for them; returns the cookie value. */
export async function signedInUser(db: Db, accountId: string, email: string, role: Role): Promise<{ user: User; cookie: string }> {
  const user = await createUser(
    db,
    accountId,
    { email, role, source: 'invite' },
    { accountId, action: 'user.invited', actor: { type: 'system', id: 'test' }, outcome: 'success' },
  );
  const cookie = await createSession(
    db,
    { accountId, userId: user.id, method: 'oidc', sourceIp: '127.0.0.1' },
    { accountId, action: 'login.succeeded', actor: { type: 'user', id: user.id }, outcome: 'success' },
  );
  return { user, cookie };
}

/**
 * Hands the session cookie to the browser. Chromium treats http://127.0.0.1 as a secure context, so a `__Host-` cookie
 * (Secure, Path=/, no Domain attribute) is kept and sent over plain HTTP on loopback, as it is over HTTPS in production.
 * (Playwright's `url` form refuses Secure on an http URL, hence domain + path.)
 */
export async function addSessionCookie(context: BrowserContext, cookie: string): Promise<void> {
  await context.addCookies([
    { name: SESSION_COOKIE, value: cookie, domain: '127.0.0.1', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' },
  ]);
}
