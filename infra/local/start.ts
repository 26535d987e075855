// `npm start`: DynamoDB Local + the table + demo data + every route on http://127.0.0.1:${PORT:-3000}.
// Ctrl-C stops the server and the Java process. With DATA_DIR, a second start reuses the data and the seed file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getAccount } from '../../shared/db/accounts.ts';
import type { Db } from '../../shared/db/client.ts';
import { startLocalStack } from './stack.ts';
import { DEMO_ACCOUNTS, seedDemoAccount, type Seed } from './seed.ts';

const SEED_FILE = resolve('.local/seed.json');

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

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'WARN';
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const persistent = Boolean(dataDir || process.env.DYNAMODB_ENDPOINT);
  let operatorKey = process.env.OPERATOR_KEY;
  let seed: Seed | undefined;

  const previous = persistent ? (() => { try { return JSON.parse(readFileSync(SEED_FILE, 'utf8')) as Seed; } catch { return undefined; } })() : undefined;
  operatorKey ??= previous?.operatorKey ?? `op_${randomBytes(24).toString('hex')}`;

  const stack = await startLocalStack({
    port,
    operatorKey,
    dataDir,
    dynamoEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    tableName: process.env.TABLE_NAME || 'identity',
  });
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  try {
    if (persistent) seed = await reusableSeed(stack.db, stack.baseUrl);
    if (!seed) {
      const accounts = [];
      for (const demo of DEMO_ACCOUNTS) accounts.push(await seedDemoAccount(stack.db, stack.baseUrl, demo));
      seed = { baseUrl: stack.baseUrl, operatorKey, accounts };
    }
    mkdirSync(resolve('.local'), { recursive: true });
    writeFileSync(SEED_FILE, `${JSON.stringify(seed, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    process.stderr.write(`start failed: ${String((error as Error).stack ?? error)}\n`);
    await shutdown(1);
    return;
  }
  const lines = [
    `Identity service listening on ${seed.baseUrl}`,
    `DynamoDB: ${stack.dynamoEndpoint}${dataDir ? ` (data in ${dataDir})` : ' (in memory)'}`,
    `Operator key: ${seed.operatorKey}`,
    ...seed.accounts.flatMap((a) => [
      '',
      `${a.name} (${a.domain}) — account ${a.id}`,
      `  SCIM base URL: ${a.scimBaseUrl}`,
      `  SCIM token:    ${a.scimToken}`,
      `  Admin key:     ${a.adminKey}`,
    ]),
    '',
    `Written to ${SEED_FILE}. Ctrl-C stops everything.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
