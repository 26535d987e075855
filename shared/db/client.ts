// The DynamoDB document client, created once per process (module scope) from the environment.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '../config.ts';

export interface Db {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

export function createDb(options: { tableName: string; endpoint?: string; region?: string }): Db {
  const local = options.endpoint !== undefined;
  const client = new DynamoDBClient({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(local
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return { doc, tableName: options.tableName };
}

let shared: Db | undefined;

/** The process-wide client, from TABLE_NAME and (locally) DYNAMODB_ENDPOINT. Fails fast when TABLE_NAME is missing. */
export function db(): Db {
  shared ??= createDb({ tableName: requireEnv('TABLE_NAME'), endpoint: process.env.DYNAMODB_ENDPOINT || undefined });
  return shared;
}
