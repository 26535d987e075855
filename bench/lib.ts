// Small helpers shared by the benchmarks: percentiles, a DynamoDB call counter, result files.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function summarise(samplesMs: number[]): { n: number; p50: number; p99: number; mean: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), mean: round(mean) };
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Counts the commands a document client sends, by name, through the SDK's own middleware stack. */
export function countCalls(doc: DynamoDBDocumentClient): { counts: Map<string, number>; reset(): void; total(): number } {
  const counts = new Map<string, number>();
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  return {
    counts,
    reset: () => counts.clear(),
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
  };
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
}

export function writeResult(name: string, result: unknown, markdown: string): void {
  const dir = join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), `${markdown.trim()}\n`);
  process.stdout.write(`${markdown.trim()}\n\n`);
}

/**
 * Counts calls and the capacity units DynamoDB reports for them (asks for `ReturnConsumedCapacity: TOTAL` on every
 * command that takes it). `detach()` removes the middleware again.
 */
export function countCapacity(doc: DynamoDBDocumentClient): {
  calls: number;
  rcu: number;
  wcu: number;
  /** The authorizer's share (its BatchGetItem of the API key item), already included in the totals above. */
  authorizer: { calls: number; rcu: number };
  detach(): void;
} {
  const name = `benchCapacity${Math.random().toString(36).slice(2)}`;
  const state = { calls: 0, rcu: 0, wcu: 0, authorizer: { calls: 0, rcu: 0 }, detach: () => void doc.middlewareStack.remove(name) };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      state.calls++;
      const input = args.input as Record<string, unknown>;
      const keys = Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: { sk?: unknown }[] }>).flatMap((r) => r.Keys ?? []);
      const byAuthorizer = String(context.commandName) === 'BatchGetItemCommand' && keys.some((k) => String(k.sk).startsWith('KEY#'));
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
      const list = Array.isArray(output.ConsumedCapacity) ? output.ConsumedCapacity : output.ConsumedCapacity ? [output.ConsumedCapacity] : [];
      for (const c of list) {
        // DynamoDB reports reads and writes separately only for some operations; CapacityUnits covers the rest.
        const reads = c.ReadCapacityUnits ?? 0;
        const writes = c.WriteCapacityUnits ?? 0;
        if (byAuthorizer) {
          state.authorizer.calls += 1 / list.length;
          state.authorizer.rcu += c.CapacityUnits ?? reads;
        }
        if (reads || writes) {
          state.rcu += reads;
          state.wcu += writes;
        } else if (/Get|Query|Scan/.test(String(context.commandName ?? ''))) {
          state.rcu += c.CapacityUnits ?? 0;
        } else {
          state.wcu += c.CapacityUnits ?? 0;
        }
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return state;
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}
