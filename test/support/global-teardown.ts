import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __dynamo?: DynamoDbLocal }).__dynamo?.stop();
}
