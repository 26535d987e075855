// The local API Gateway: turns each HTTP request into the REST proxy event AWS would send, runs the same authorizer
// (deny → 401/403 before the handler, as API Gateway does), and invokes the route's handler from the same route table.
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { matchesResource } from '../../shared/auth/policy.ts';
import { normaliseIp } from '../../shared/auth/ip-allowlist.ts';
import { MAX_BODY_BYTES } from '../../shared/config.ts';
import {
  gatewayResponseHeaders,
  gatewayResponse,
  gatewayResponseBody,
  type GatewayResponse,
} from '../../shared/http/gateway-responses.ts';
import { routes, type RouteDefinition } from '../../shared/http/routes/index.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const STAGE = 'local';
const API_ID = 'local';
/** API Gateway's own payload limit is 10 MB; above our handlers' limit so they answer with their own 413. */
const GATEWAY_MAX_BODY_BYTES = Math.max(MAX_BODY_BYTES * 4, 1024 * 1024);

type Handler = (event: unknown, context: Context) => Promise<unknown>;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/** API Gateway (REST) percent-decodes query values but leaves `+` as it is. */
function parseQuery(search: string): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const [rawName = '', ...rest] = pair.split('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    const name = decode(rawName);
    const value = decode(rest.join('='));
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendGateway(res: ServerResponse, response: GatewayResponse): void {
  res.writeHead(response.status, gatewayResponseHeaders(response));
  res.end(gatewayResponseBody(response));
}

function sendResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  res.writeHead(result.statusCode, headers);
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

export interface LocalServerOptions {
  /** Loads a route's handler module; by default imports the entry file from the repository. */
  loadHandler?: (entry: string) => Promise<Handler>;
}

export function createLocalServer(options: LocalServerOptions = {}): Server {
  const compiled = routes.map(compile);
  const handlers = new Map<string, Promise<Handler>>();
  const load =
    options.loadHandler ??
    (async (entry: string) => ((await import(resolve(ROOT, entry))) as { handler: Handler }).handler);
  const handlerFor = (entry: string): Promise<Handler> => {
    let handler = handlers.get(entry);
    if (!handler) {
      handler = load(entry);
      handlers.set(entry, handler);
    }
    return handler;
  };

  return createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      process.stderr.write(`local gateway error: ${String((error as Error)?.stack ?? error)}\n`);
      if (!res.headersSent) sendGateway(res, gatewayResponse('DEFAULT_5XX'));
      else res.end();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    // API Gateway takes the source IP from the connection, never from X-Forwarded-For.
    const sourceIp = normaliseIp(req.socket.remoteAddress ?? '');
    const candidates = compiled.filter((c) => c.pattern.test(url.pathname));
    const match = candidates.find((c) => c.route.method === method);
    if (!match) return sendGateway(res, gatewayResponse('MISSING_AUTHENTICATION_TOKEN'));
    const body = await readBody(req);
    if (body === 'too-large') return sendGateway(res, { type: 'DEFAULT_4XX', status: 413, detail: 'Request too large' });

    const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
    const pathParameters = Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i] ?? '')]));
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] as string;
      const value = req.rawHeaders[i + 1] as string;
      headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
      (multiValueHeaders[name] ??= []).push(value);
    }
    const query = parseQuery(url.search);
    const requestId = randomUUID();
    const methodArn = `arn:aws:execute-api:local:000000000000:${API_ID}/${STAGE}/${method}${url.pathname}`;

    let authorizerContext: Record<string, unknown> | undefined;
    if (match.route.auth === 'admin' || match.route.auth === 'scim') {
      const authorizer = await handlerFor('functions/auth/authorizer.ts');
      const authorizerEvent = {
        type: 'REQUEST',
        methodArn,
        resource: match.route.path,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders,
        queryStringParameters: query.single,
        multiValueQueryStringParameters: query.multi,
        pathParameters,
        stageVariables: {},
        requestContext: { identity: { sourceIp }, requestId, stage: STAGE, httpMethod: method, path: url.pathname },
      } as unknown as APIGatewayRequestAuthorizerEvent;
      let result: APIGatewayAuthorizerResult;
      try {
        result = (await authorizer(authorizerEvent, lambdaContext('authorizer'))) as APIGatewayAuthorizerResult;
      } catch (error) {
        if ((error as Error).message === 'Unauthorized') return sendGateway(res, gatewayResponse('UNAUTHORIZED'));
        // Any other authorizer error is API Gateway's AUTHORIZER_FAILURE.
        return sendGateway(res, gatewayResponse('AUTHORIZER_FAILURE'));
      }
      const statements = result.policyDocument.Statement as { Effect: string; Resource: string | string[] }[];
      const applies = (s: { Resource: string | string[] }) =>
        (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).some((r) => matchesResource(r, methodArn));
      const denied = statements.some((s) => s.Effect === 'Deny' && applies(s));
      const allowed = statements.some((s) => s.Effect === 'Allow' && applies(s));
      if (denied || !allowed) return sendGateway(res, gatewayResponse('ACCESS_DENIED'));
      authorizerContext = { ...result.context, principalId: result.principalId };
    }

    const event: APIGatewayProxyEvent = {
      resource: match.route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: Object.keys(query.single).length ? query.single : null,
      multiValueQueryStringParameters: Object.keys(query.multi).length ? query.multi : null,
      pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
      stageVariables: null,
      body: body.length ? body.toString('utf8') : null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: API_ID,
        authorizer: authorizerContext ?? null,
        protocol: 'HTTP/1.1',
        httpMethod: method,
        identity: { sourceIp, userAgent: req.headers['user-agent'] ?? null } as APIGatewayProxyEvent['requestContext']['identity'],
        path: `/${STAGE}${url.pathname}`,
        stage: STAGE,
        requestId,
        requestTimeEpoch: Date.now(),
        resourceId: match.route.id,
        resourcePath: match.route.path,
      },
    };
    const handler = await handlerFor(match.route.entry);
    const result = (await handler(event, lambdaContext(match.route.id))) as APIGatewayProxyResult;
    sendResult(res, result);
  }
}

export async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePromise());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('server has no address');
  return address.port;
}
