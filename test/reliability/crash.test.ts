// DynamoDB Local killed (SIGKILL) in the middle of a burst of writes, then restarted on the same DATA_DIR: callers got clear
// errors (503 + Retry-After), never a hang; and the data holds no half-written user — every user has its email claim and the account's
// counter equals the number of users, because each creation is one transaction.
import { afterAll, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { freePort, startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { createAccount, getAccount } from '../../shared/db/accounts.ts';
import { accountPk } from '../../shared/db/keys.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'identity-crash-'));
let dynamo: DynamoDbLocal | undefined;
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function invite(baseUrl: string, token: string, email: string): Promise<number> {
  try {
    const res = await fetch(`${baseUrl}/api/v1/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, role: 'member' }),
      signal: AbortSignal.timeout(20_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return -1; // the client gave up: a hang would show here
  }
}

test('a crash mid-burst leaves no half-written user, and callers get 201 or 503 — never a 500 or a hang', async () => {
  const port = await freePort();
  dynamo = await startDynamoDbLocal({ dataDir, port });
  stack = await startLocalStack({
    dynamoEndpoint: dynamo.endpoint,
    tableName: 'crash',
    operatorKey: `op_${randomBytes(16).toString('hex')}`,
  });
  const { account, adminKey } = await createAccount(stack.db, { name: 'Crash Co', keyLifetimeDays: 1 });

  const burst = Array.from({ length: 80 }, (_, i) => invite(stack!.baseUrl, adminKey, `user${i}@crash.example`));
  await new Promise((r) => setTimeout(r, 150));
  dynamo.process.kill('SIGKILL');
  const statuses = await Promise.all(burst);
  expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
  expect(statuses).not.toContain(-1);
  const refused = statuses.filter((s) => s !== 201).length;
  expect(refused).toBeGreaterThan(0); // the kill really landed mid-burst

  dynamo = await startDynamoDbLocal({ dataDir, port });
  const items = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.db.doc.send(
      new QueryCommand({
        TableName: 'crash',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': accountPk(account.id) },
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const users = items.filter((i) => String(i.sk).startsWith('USER#'));
  const claims = items.filter((i) => String(i.sk).startsWith('EMAIL#'));
  expect(claims.map((c) => c.userId).sort()).toEqual(users.map((u) => u.id).sort());
  expect((await getAccount(stack.db, account.id))?.userCount).toBe(users.length);
  // Every 201 the callers saw is a user that survived the crash.
  expect(users.length).toBeGreaterThanOrEqual(statuses.filter((s) => s === 201).length);
  // And the service works again without a restart of its own.
  expect(await invite(stack.baseUrl, adminKey, 'after@crash.example')).toBe(201);
}, 120_000);
