// Integration harness: the real local server (route table, authorizer, handlers) on 127.0.0.1:<free port>, over a
// fresh table in the run's DynamoDB Local. Real HTTP, no mocks.
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';

export interface TestStack extends LocalStack {
  operatorKey: string;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
}

export interface CallOptions {
  token?: string;
  /** Serialised as JSON unless a string is given. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Source address on the loopback range, e.g. 127.0.0.2, to exercise IP allowlists for real. */
  localAddress?: string;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export async function startTestStack(): Promise<TestStack> {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run through jest (global-setup starts DynamoDB Local)');
  const operatorKey = `op_${randomBytes(16).toString('hex')}`;
  const stack = await startLocalStack({
    dynamoEndpoint: endpoint,
    tableName: `t_${randomBytes(6).toString('hex')}`,
    operatorKey,
  });
  const call = (method: string, path: string, options: CallOptions = {}): Promise<CallResult> =>
    new Promise((resolve, reject) => {
      const body =
        options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      const headers: Record<string, string> = {
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      };
      const req = httpRequest(
        `${stack.baseUrl}${path}`,
        { method, headers, localAddress: options.localAddress },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  // The run shares one in-memory DynamoDB Local: drop this file's table when it stops, so memory (and Java's GC) does not
  // grow with every file and slow the files that run late.
  const stop = async (): Promise<void> => {
    await stack.stop();
    const client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      await client.send(new DeleteTableCommand({ TableName: stack.db.tableName }));
    } catch {
      // Already gone, or DynamoDB Local stopped: nothing to free.
    } finally {
      client.destroy();
    }
  };
  return { ...stack, stop, operatorKey, call };
}

/** Creates an account through the operator API and returns its id and first admin key. */
export async function createTestAccount(stack: TestStack, name = 'Test Account'): Promise<{ id: string; adminKey: string }> {
  const result = await stack.call('POST', '/api/v1/accounts', { token: stack.operatorKey, body: { name } });
  if (result.status !== 201) throw new Error(`account creation failed: ${result.status} ${result.text}`);
  return { id: result.json.id, adminKey: result.json.adminKey };
}
