// The whole service on a laptop: DynamoDB Local (or DYNAMODB_ENDPOINT), the table from the shared definition, and the
// local API Gateway on 127.0.0.1. `npm start` and the integration tests both start it through here.
import type { Server } from 'node:http';
import { createDb, type Db } from '../../shared/db/client.ts';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';

export interface LocalStack {
  baseUrl: string;
  port: number;
  db: Db;
  dynamoEndpoint: string;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  port?: number;
  tableName?: string;
  /** Use this DynamoDB instead of starting one. */
  dynamoEndpoint?: string;
  /** Persist DynamoDB Local's data here (ignored with dynamoEndpoint). */
  dataDir?: string;
  operatorKey: string;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  let dynamo: DynamoDbLocal | undefined;
  let server: Server | undefined;
  const stop = async () => {
    if (server) await new Promise<void>((r) => server?.close(() => r()));
    server?.closeAllConnections();
    await dynamo?.stop();
  };
  try {
    const endpoint = options.dynamoEndpoint ?? (dynamo = await startDynamoDbLocal({ dataDir: options.dataDir })).endpoint;
    const tableName = options.tableName ?? 'identity';
    await ensureTable(endpoint, tableName);
    // Handlers read their settings from the environment at import, exactly as on Lambda; set them before any import.
    process.env.TABLE_NAME = tableName;
    process.env.DYNAMODB_ENDPOINT = endpoint;
    process.env.OPERATOR_KEY = options.operatorKey;
    const { createLocalServer, listen } = await import('./server.ts');
    server = createLocalServer();
    const port = await listen(server, options.port ?? 0);
    const baseUrl = `http://127.0.0.1:${port}`;
    process.env.PUBLIC_BASE_URL ??= baseUrl;
    return { baseUrl, port, db: createDb({ tableName, endpoint }), dynamoEndpoint: endpoint, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
