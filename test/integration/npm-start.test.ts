// `npm start` as a newcomer runs it: seed file in the promised shape, a working admin key, and Ctrl-C that stops
// everything (the Java process included) so that a second start works.
import { afterEach, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../infra/local/dynamodb-local.ts';
import { SESSION_COOKIE, validateSession } from '../../shared/auth/sessions.ts';
import { createDb } from '../../shared/db/client.ts';
import { Browser, signInAtIdp } from '../support/oidc-idp.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TSX = createRequire(import.meta.url).resolve('tsx');
let child: ChildProcess | undefined;
let workDir: string | undefined;

afterEach(async () => {
  // npm start runs in its own process group: killing the group also ends its Java and demo IdP if a test failed midway.
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function startOnce(port: number, cwd: string, env: Record<string, string> = {}): Promise<{ process: ChildProcess; output: () => string }> {
  // As a newcomer runs it: without the tests' own IdP settings (npm start makes its own).
  const { IDP_SECRET_KEY: _key, ALLOW_INSECURE_LOOPBACK_IDP: _loopback, ...inherited } = process.env;
  const proc = spawn(process.execPath, ['--import', TSX, join(ROOT, 'infra/local/start.ts')], {
    cwd,
    detached: true,
    env: { ...inherited, PORT: String(port), NODE_OPTIONS: '', LOG_LEVEL: 'SILENT', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${out}`)), 45_000);
    proc.stdout?.on('data', () => {
      if (out.includes('Ctrl-C stops everything')) {
        clearTimeout(timer);
        resolvePromise({ process: proc, output: () => out });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
}

const portOpen = (port: number) =>
  new Promise<boolean>((r) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      r(true);
    });
    socket.once('error', () => r(false));
  });

async function interrupt(proc: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  proc.kill('SIGINT');
  return exited;
}

/** Signs in with SSO as the printed demo user of the first account, through the printed link; returns the session's user. */
async function signInAsDemoUser(output: string, seed: { baseUrl: string }, dynamoPort: number) {
  const link = /straight to (\S+\/sso\/oidc\/[\w-]+\/login)/.exec(output)?.[1] as string;
  const password = /as demo@acme\.test, password (\S+)/.exec(output)?.[1] as string;
  const browser = new Browser();
  const start = await browser.request('GET', link);
  const form = await browser.navigate(start.location as string);
  const landed = await signInAtIdp(browser, form, { email: 'demo@acme.test', password }, (u) => u.origin === seed.baseUrl && !u.pathname.includes('/sso/'));
  expect(landed.status).toBe(302);
  const db = createDb({ tableName: 'identity', endpoint: `http://127.0.0.1:${dynamoPort}` });
  try {
    return (await validateSession(db, browser.cookie(SESSION_COOKIE)))?.user;
  } finally {
    db.doc.destroy();
  }
}

test('npm start seeds, serves, and stops cleanly twice in a row', async () => {
  workDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const port = await freePort();
  for (let run = 0; run < 2; run++) {
    const { process: proc, output } = await startOnce(port, workDir);
    const seed = JSON.parse(readFileSync(join(workDir, '.local/seed.json'), 'utf8'));
    expect(Object.keys(seed).sort()).toEqual(['accounts', 'baseUrl', 'operatorKey']);
    expect(seed.baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect(seed.accounts).toHaveLength(2);
    for (const account of seed.accounts) {
      expect(Object.keys(account).sort()).toEqual(['adminKey', 'domain', 'id', 'name', 'scimBaseUrl', 'scimToken']);
      expect(account.scimBaseUrl).toBe(`${seed.baseUrl}/scim/v2`);
    }
    const keys = await fetch(`${seed.baseUrl}/api/v1/api-keys`, { headers: { Authorization: `Bearer ${seed.accounts[0].adminKey}` } });
    expect(keys.status).toBe(200);
    const body = await keys.text();
    expect(body).not.toContain(seed.accounts[0].adminKey.split('_')[3]);
    const dynamoPort = Number(/DynamoDB: http:\/\/127\.0\.0\.1:(\d+)/.exec(output())?.[1]);
    expect(await portOpen(dynamoPort)).toBe(true);

    // The demo OIDC provider is up, and each demo account has it as its IdP (its own client of it).
    const issuer = /Demo OIDC identity provider: (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1] as string;
    const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(issuer);
    const links = [...output().matchAll(/straight to (\S+\/sso\/oidc\/[\w-]+\/login)/g)].map((m) => m[1] as string);
    expect(links).toHaveLength(2);
    const clients = new Set<string>();
    for (const link of links) {
      const start = await fetch(link, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const authorize = new URL(start.headers.get('location') as string);
      expect(authorize.origin).toBe(issuer);
      clients.add(authorize.searchParams.get('client_id') as string);
    }
    expect(clients.size).toBe(2);
    // A newcomer signs in with SSO as the printed demo user — the account's seeded admin — and gets a session.
    const user = await signInAsDemoUser(output(), seed, dynamoPort);
    expect(user).toMatchObject({ email: 'demo@acme.test', accountId: seed.accounts[0].id, role: 'admin', source: 'invite' });

    expect(await interrupt(proc)).toBe(0);
    expect(await portOpen(port)).toBe(false);
    expect(await portOpen(dynamoPort)).toBe(false);
    expect(await portOpen(Number(new URL(issuer).port))).toBe(false);
  }
}, 120_000);

test('with DATA_DIR a second start reuses the accounts, the sealed IdP secrets and the demo IdP clients', async () => {
  workDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const port = await freePort();
  const env = { DATA_DIR: join(workDir, 'data') };
  const accountIds: string[][] = [];
  for (let run = 0; run < 2; run++) {
    const { process: proc, output } = await startOnce(port, workDir, env);
    const seed = JSON.parse(readFileSync(join(workDir, '.local/seed.json'), 'utf8'));
    accountIds.push(seed.accounts.map((a: { id: string }) => a.id));
    expect(Buffer.from(readFileSync(join(workDir, '.local/idp-secret-key'), 'utf8').trim(), 'base64')).toHaveLength(32);
    const dynamoPort = Number(/DynamoDB: http:\/\/127\.0\.0\.1:(\d+)/.exec(output())?.[1]);
    // The second run opens the client secrets sealed by the first: the key was kept in .local/ with the data.
    expect(await signInAsDemoUser(output(), seed, dynamoPort)).toMatchObject({ email: 'demo@acme.test', accountId: seed.accounts[0].id });
    expect(await interrupt(proc)).toBe(0);
  }
  expect(accountIds[1]).toEqual(accountIds[0]);
}, 120_000);
