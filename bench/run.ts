// `npm run bench [-- name…]`: runs the named benchmarks (default: all), each writing bench/results/<name>.{json,md}.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR } from './lib.ts';

const ALL = ['bundles', 'authorizer', 'scim', 'scim-calls'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const name of chosen) {
  if (!ALL.includes(name)) throw new Error(`Unknown benchmark ${name}; choose from ${ALL.join(', ')}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(BENCH_DIR, `${name}.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
