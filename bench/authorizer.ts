// Authorizer throughput with a cold cache (every request verified), and DynamoDB calls per verification, against
// DynamoDB Local. `npm run bench -- authorizer`.
import { decide } from '../shared/auth/authorize.ts';
import { createAccount } from '../shared/db/accounts.ts';
import { startDynamoDbLocal, ensureTable } from '../infra/local/dynamodb-local.ts';
import { createDb } from '../shared/db/client.ts';
import { countCalls, machine, round, summarise, writeResult } from './lib.ts';

const VERIFICATIONS = Number(process.env.BENCH_AUTHORIZER_N ?? 2000);
const CONCURRENCY = 16;

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  try {
    await ensureTable(dynamo.endpoint, 'bench');
    const db = createDb({ tableName: 'bench', endpoint: dynamo.endpoint });
    const { adminKey } = await createAccount(db, { name: 'Bench', keyLifetimeDays: 30 });
    const counter = countCalls(db.doc);
    // Warm the process (JIT, connections), then measure.
    for (let i = 0; i < 50; i++) await decide(db, { authorization: `Bearer ${adminKey}`, sourceIp: '203.0.113.1' });
    counter.reset();
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < VERIFICATIONS) {
          next++;
          const t = performance.now();
          const decision = await decide(db, { authorization: `Bearer ${adminKey}`, sourceIp: '203.0.113.1' });
          latencies.push(performance.now() - t);
          if (decision.effect !== 'allow') throw new Error('benchmark key refused');
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const perVerification = round(counter.total() / VERIFICATIONS, 3);
    const result = {
      machine: machine(),
      verifications: VERIFICATIONS,
      concurrency: CONCURRENCY,
      perSecond: round(VERIFICATIONS / seconds, 0),
      latencyMs: summarise(latencies),
      dynamoCallsPerVerification: perVerification,
      calls: Object.fromEntries(counter.counts),
    };
    const md = [
      '### Authorizer (cold cache: every request verified)',
      '',
      `Machine: ${machine()}; DynamoDB Local on loopback. Command: \`npm run bench -- authorizer\`.`,
      '',
      '| Verifications | Concurrency | per second | p50 ms | p99 ms | DynamoDB calls per verification |',
      '|---:|---:|---:|---:|---:|---|',
      `| ${VERIFICATIONS} | ${CONCURRENCY} | ${result.perSecond} | ${result.latencyMs.p50} | ${result.latencyMs.p99} | ${perVerification} (${Object.entries(result.calls).map(([k, v]) => `${k} ${v}`).join(', ')}) |`,
    ].join('\n');
    writeResult('authorizer', result, md);
  } finally {
    await dynamo.stop();
  }
}

await main();
