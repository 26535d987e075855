// Starts one DynamoDB Local for the whole run (each test file makes its own table in it). Its endpoint reaches the
// test workers through the environment; global-teardown stops it, and so does this process's exit, however it ends.
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

export default async function globalSetup(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __dynamo?: typeof dynamo }).__dynamo = dynamo;
  const kill = () => {
    if (dynamo.process.exitCode === null) dynamo.process.kill('SIGKILL');
  };
  process.once('exit', kill);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      kill();
      process.exit(130);
    });
  }
}
