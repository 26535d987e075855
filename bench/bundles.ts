// Bundle size per Lambda (esbuild metafile, with the deploy options) and local cold start: a fresh Node process that
// imports the bundle (module init) — median of N runs. `npm run bench -- bundles`.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ESM_REQUIRE_BANNER, EXTERNAL_MODULES, LAMBDA_NODE_TARGET } from '../infra/bundling.ts';
import { routes } from '../shared/http/routes/index.ts';
import { BENCH_DIR, machine, round, summarise, writeResult } from './lib.ts';

const ROOT = join(BENCH_DIR, '..');
const OUT = join(BENCH_DIR, '.out');
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 20);

interface Row {
  entry: string;
  bytes: number;
  largestInputs: { path: string; bytes: number }[];
  initMs: { n: number; p50: number; p99: number; mean: number };
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
    for (let i = 0; i < RUNS; i++) {
      const script = `const t=performance.now();await import(${JSON.stringify(outfile)});process.stdout.write(String(performance.now()-t));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: ROOT,
        env: { ...process.env, TABLE_NAME: 'bench', PUBLIC_BASE_URL: 'https://bench.example', LOG_LEVEL: 'SILENT' },
      });
      samples.push(Number(out.toString()));
    }
    rows.push({ entry, bytes: output?.bytes ?? 0, largestInputs: topInputs(output?.inputs ?? {}), initMs: summarise(samples) });
  }
  const md = [
    `### Lambda bundles (minified ESM, @aws-sdk/* external) and module init (median of ${RUNS} fresh processes)`,
    '',
    `Machine: ${machine()}. Command: \`npm run bench -- bundles\`.`,
    '',
    '| Function | Bundle KB | Init p50 ms | Init p99 ms | Largest inputs (KB) |',
    '|---|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.entry} | ${round(r.bytes / 1024, 1)} | ${r.initMs.p50} | ${r.initMs.p99} | ${r.largestInputs
          .map((i) => `${i.path} ${round(i.bytes / 1024, 1)}`)
          .join(', ')} |`,
    ),
  ].join('\n');
  writeResult('bundles', { machine: machine(), runs: RUNS, rows }, md);
  rmSync(OUT, { recursive: true, force: true });
}

await main();
