// `npm start`: DynamoDB Local + the table + the demo OIDC provider + demo data + every route on
// http://127.0.0.1:${PORT:-3000}. Ctrl-C stops the server, the demo IdP and the Java process. With DATA_DIR, a second start
// reuses the data, the seed file, the IdP secret key and the demo IdP's clients.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateSecretKey } from '../../shared/auth/secret-box.ts';
import { getAccount } from '../../shared/db/accounts.ts';
import type { Db } from '../../shared/db/client.ts';
import { getIdp, updateIdp } from '../../shared/db/idps.ts';
import { urlFor } from '../../shared/http/url.ts';
import { newId } from '../../shared/ids.ts';
import { startDemoOidcIdp, type DemoOidcIdp } from './demo-oidc-idp.ts';
import { startLocalStack } from './stack.ts';
import { DEMO_ACCOUNTS, seedDemoAccount, type DemoIdpClient, type Seed } from './seed.ts';

const SEED_FILE = resolve('.local/seed.json');
/** The demo IdP's clients and user password (git-ignored, like the seed): reused with persistent data. */
const DEMO_IDP_FILE = resolve('.local/demo-oidc.json');
/** The key that seals IdP client secrets in the table (IDP_SECRET_KEY); kept only when the data is kept. */
const SECRET_KEY_FILE = resolve('.local/idp-secret-key');

interface DemoIdpState {
  port: number;
  password: string;
  clients: (DemoIdpClient & { domain: string })[];
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function idpSecretKey(persistent: boolean): string {
  if (!persistent) return generateSecretKey();
  if (existsSync(SECRET_KEY_FILE)) return readFileSync(SECRET_KEY_FILE, 'utf8').trim();
  const key = generateSecretKey();
  writeFileSync(SECRET_KEY_FILE, `${key}\n`, { mode: 0o600 });
  return key;
}

function freshDemoIdpState(): DemoIdpState {
  return {
    port: 0,
    password: randomBytes(9).toString('base64url'),
    clients: DEMO_ACCOUNTS.map((demo) => ({
      domain: demo.domain,
      idpId: newId(),
      issuer: '',
      clientId: `demo-${demo.domain.replace(/\W/g, '-')}`,
      clientSecret: randomBytes(24).toString('base64url'),
    })),
  };
}

/** The demo IdP on its previous port when that is free (stored IdPs name it as issuer), else on any free port. */
async function startDemoIdp(state: DemoIdpState): Promise<DemoOidcIdp> {
  const options = {
    clients: state.clients.map((c) => ({
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      redirectUris: [urlFor('oidc-callback', { idpId: c.idpId })],
    })),
    users: DEMO_ACCOUNTS.map((demo) => ({
      email: `demo@${demo.domain}`,
      password: state.password,
      givenName: 'Demo',
      familyName: 'User',
    })),
  };
  if (state.port) {
    try {
      return await startDemoOidcIdp({ ...options, port: state.port });
    } catch {
      // Taken by something else this time: any free port, and the stored IdPs are pointed at it below.
    }
  }
  return startDemoOidcIdp(options);
}

async function reusableSeed(db: Db, baseUrl: string): Promise<Seed | undefined> {
  try {
    const seed = JSON.parse(readFileSync(SEED_FILE, 'utf8')) as Seed;
    const present = await Promise.all(seed.accounts.map((a) => getAccount(db, a.id)));
    if (present.every(Boolean) && seed.baseUrl === baseUrl) return seed;
  } catch {
    // No seed file, or one from another run: seed afresh.
  }
  return undefined;
}

/** With reused data: the demo IdP file names an IdP of each seeded account that is still there. */
async function demoIdpsPresent(db: Db, seed: Seed, state: DemoIdpState | undefined): Promise<boolean> {
  if (!state || state.clients.length !== seed.accounts.length) return false;
  for (const client of state.clients) {
    const account = seed.accounts.find((a) => a.domain === client.domain);
    if (!account || !(await getIdp(db, account.id, client.idpId))) return false;
  }
  return true;
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'WARN';
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const persistent = Boolean(dataDir || process.env.DYNAMODB_ENDPOINT);
  let operatorKey = process.env.OPERATOR_KEY;
  let seed: Seed | undefined;

  mkdirSync(resolve('.local'), { recursive: true });
  // The demo IdP is plain http on loopback; a real deployment accepts https issuers only.
  process.env.ALLOW_INSECURE_LOOPBACK_IDP = '1';
  process.env.IDP_SECRET_KEY ||= idpSecretKey(persistent);

  const previous = persistent ? (() => { try { return JSON.parse(readFileSync(SEED_FILE, 'utf8')) as Seed; } catch { return undefined; } })() : undefined;
  operatorKey ??= previous?.operatorKey ?? `op_${randomBytes(24).toString('hex')}`;

  const stack = await startLocalStack({
    port,
    operatorKey,
    dataDir,
    dynamoEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    tableName: process.env.TABLE_NAME || 'identity',
  });
  let demoIdp: DemoOidcIdp | undefined;
  let demoState: DemoIdpState | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await demoIdp?.stop();
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  try {
    if (persistent) {
      seed = await reusableSeed(stack.db, stack.baseUrl);
      demoState = readJson<DemoIdpState>(DEMO_IDP_FILE);
      if (seed && !(await demoIdpsPresent(stack.db, seed, demoState))) seed = undefined;
    }
    if (!seed) demoState = freshDemoIdpState();
    const state = demoState as DemoIdpState;
    demoIdp = await startDemoIdp(state);
    if (!seed) {
      const accounts = [];
      for (const [i, demo] of DEMO_ACCOUNTS.entries()) {
        const client = { ...(state.clients[i] as DemoIdpClient), issuer: demoIdp.issuer };
        accounts.push(await seedDemoAccount(stack.db, stack.baseUrl, demo, client));
      }
      seed = { baseUrl: stack.baseUrl, operatorKey, accounts };
    } else {
      for (const client of state.clients) {
        const account = seed.accounts.find((a) => a.domain === client.domain);
        if (!account || client.issuer === demoIdp.issuer) continue;
        await updateIdp(stack.db, account.id, client.idpId, { issuer: demoIdp.issuer }, {
          accountId: account.id,
          action: 'idp.updated',
          actor: { type: 'system', id: 'npm-start' },
          outcome: 'success',
        });
      }
    }
    state.port = demoIdp.port;
    for (const client of state.clients) client.issuer = demoIdp.issuer;
    writeFileSync(SEED_FILE, `${JSON.stringify(seed, null, 2)}\n`, { mode: 0o600 });
    writeFileSync(DEMO_IDP_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    process.stderr.write(`start failed: ${String((error as Error).stack ?? error)}\n`);
    await shutdown(1);
    return;
  }
  const lines = [
    `Identity service listening on ${seed.baseUrl}`,
    `DynamoDB: ${stack.dynamoEndpoint}${dataDir ? ` (data in ${dataDir})` : ' (in memory)'}`,
    `Operator key: ${seed.operatorKey}`,
    `Demo OIDC identity provider: ${demoIdp.issuer}`,
    ...seed.accounts.flatMap((a) => {
      const idpId = demoState?.clients.find((c) => c.domain === a.domain)?.idpId ?? '';
      return [
        '',
        `${a.name} (${a.domain}) — account ${a.id}`,
        `  SCIM base URL: ${a.scimBaseUrl}`,
        `  SCIM token:    ${a.scimToken}`,
        `  Admin key:     ${a.adminKey}`,
        `  Sign in (SSO): open ${seed?.baseUrl}/login as demo@${a.domain}, password ${demoState?.password}`,
        `                 (or straight to ${seed?.baseUrl}/sso/oidc/${idpId}/login); demo@${a.domain} is the account's`,
        `                 admin, so ${seed?.baseUrl}/console opens the admin console`,
      ];
    }),
    '',
    `Written to ${SEED_FILE}. Ctrl-C stops everything.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
