// Bundle size per Lambda (esbuild metafile, with the deploy options) and local cold start: a fresh Node process that
// imports the bundle (module init) and serves one event against DynamoDB Local (first request: SDK client, first call) —
// median of N runs. `npm run bench -- bundles`.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ESM_REQUIRE_BANNER, EXTERNAL_MODULES, LAMBDA_NODE_TARGET } from '../infra/bundling.ts';
import { ensureTable, startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { routes, type RouteDefinition } from '../shared/http/routes/index.ts';
import { BENCH_DIR, machine, round, summarise, writeResult } from './lib.ts';

const ROOT = join(BENCH_DIR, '..');
const OUT = join(BENCH_DIR, '.out');
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 20);

interface Row {
  entry: string;
  bytes: number;
  largestInputs: { path: string; bytes: number }[];
  initMs: { n: number; p50: number; p99: number; mean: number };
  firstEventMs: { n: number; p50: number; p99: number; mean: number };
}

/** A minimal API Gateway event for the route: path parameters filled, an authorizer context for an unknown account. */
function eventFor(route: RouteDefinition | undefined): unknown {
  if (!route) return { type: 'REQUEST', methodArn: 'arn:aws:execute-api:local:0:api/local/GET/x', headers: {}, requestContext: { identity: { sourceIp: '127.0.0.1' } } };
  const path = route.path.replace(/\{[^}]+\}/g, 'bench');
  const names = [...route.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1] as string);
  return {
    resource: route.path,
    path,
    httpMethod: route.method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: names.length ? Object.fromEntries(names.map((n) => [n, 'bench'])) : null,
    stageVariables: null,
    body: route.method === 'GET' || route.method === 'DELETE' ? null : '{}',
    isBase64Encoded: false,
    requestContext: {
      authorizer: { accountId: 'bench-missing', keyId: 'bench', ownerId: 'svc-bench', scopes: 'admin scim', principalId: 'bench' },
      identity: { sourceIp: '127.0.0.1', userAgent: 'bench' },
      httpMethod: route.method,
      path,
      stage: 'local',
      requestId: 'bench',
      requestTimeEpoch: Date.now(),
      resourceId: route.id,
      resourcePath: route.path,
    },
  };
}

/** What dominates a bundle: its inputs grouped by package (or by our own folder). */
function topInputs(inputs: Record<string, { bytesInOutput: number }>): { path: string; bytes: number }[] {
  const byPackage = new Map<string, number>();
  for (const [path, info] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = match ? match[1] as string : path.split('/').slice(0, 2).join('/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([path, bytes]) => ({ path, bytes }));
}

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const entries = [...new Set(['functions/auth/authorizer.ts', ...routes.map((r) => r.entry)])];
  const dynamo = await startDynamoDbLocal();
  try {
  await ensureTable(dynamo.endpoint, 'bench');
  const rows: Row[] = [];
  for (const entry of entries) {
    const outfile = join(OUT, `${entry.replace(/[/.]/g, '_')}.mjs`);
    const result = await build({
      entryPoints: [join(ROOT, entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: LAMBDA_NODE_TARGET,
      minify: true,
      external: EXTERNAL_MODULES,
      banner: { js: ESM_REQUIRE_BANNER },
      outfile,
      metafile: true,
      logLevel: 'silent',
    });
    const output = Object.values(result.metafile.outputs)[0];
    const samples: number[] = [];
    const firstEvent: number[] = [];
    const event = JSON.stringify(eventFor(routes.find((r) => r.entry === entry)));
    for (let i = 0; i < RUNS; i++) {
      const script = [
        `const t0=performance.now();const m=await import(${JSON.stringify(outfile)});const t1=performance.now();`,
        `try{await m.handler(JSON.parse(process.env.BENCH_EVENT),{functionName:'bench',awsRequestId:'bench',getRemainingTimeInMillis:()=>30000});}catch{}`,
        `process.stdout.write(JSON.stringify([t1-t0,performance.now()-t1]));`,
      ].join('');
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: ROOT,
        env: {
          ...process.env,
          TABLE_NAME: 'bench',
          DYNAMODB_ENDPOINT: dynamo.endpoint,
          PUBLIC_BASE_URL: 'https://bench.example',
          LOG_LEVEL: 'SILENT',
          BENCH_EVENT: event,
          AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
        },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const [init, first] = JSON.parse(out.toString()) as [number, number];
      samples.push(init);
      firstEvent.push(first);
    }
    rows.push({
      entry,
      bytes: output?.bytes ?? 0,
      largestInputs: topInputs(output?.inputs ?? {}),
      initMs: summarise(samples),
      firstEventMs: summarise(firstEvent),
    });
  }
  const md = [
    `### Lambda bundles (minified ESM, @aws-sdk/* external), module init and first event (median of ${RUNS} fresh processes)`,
    '',
    `Machine: ${machine()}. Command: \`npm run bench -- bundles\`. First event: one request for an unknown account ` +
      'against DynamoDB Local on loopback (SDK client creation and the first call included).',
    '',
    '| Function | Bundle KB | Init p50 ms | Init p99 ms | First event p50 ms | Largest inputs (KB) |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.entry} | ${round(r.bytes / 1024, 1)} | ${r.initMs.p50} | ${r.initMs.p99} | ${r.firstEventMs.p50} | ${r.largestInputs
          .map((i) => `${i.path} ${round(i.bytes / 1024, 1)}`)
          .join(', ')} |`,
    ),
  ].join('\n');
  writeResult('bundles', { machine: machine(), runs: RUNS, rows }, md);
  rmSync(OUT, { recursive: true, force: true });
  } finally {
    await dynamo.stop();
  }
}

await main();
