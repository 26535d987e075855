// The one middleware chain every handler is wrapped in: parse and validate the request at the edge, run the route's
// function, render any error in the caller's dialect (admin JSON, SCIM error schema, or an HTML page) — in that order.
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../config.ts';
import { renderError } from './render-error.ts';
import { InvalidJson, PayloadTooLarge, UnsupportedMediaType } from './errors.ts';
import { logger } from './logger.ts';
import type { Surface } from './routes/types.ts';

/** What the Lambda authorizer established about the caller; handlers never re-parse the token. */
export interface Principal {
  accountId: string;
  keyId: string;
  ownerId: string;
  scopes: string[];
}

export interface ApiRequest {
  method: string;
  /** The path as requested, e.g. `/scim/v2/Users/123`. */
  path: string;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON (or form fields on browser routes); undefined when there is no body. */
  body: unknown;
  sourceIp: string;
  principal: Principal | undefined;
  requestId: string;
  event: APIGatewayProxyEvent;
}

export interface ApiResponse {
  status: number;
  /** JSON body (serialised with the surface's content type) — or `html` for pages. */
  body?: unknown;
  html?: string;
  headers?: Record<string, string>;
  /** Multi-value headers, e.g. several Set-Cookie. */
  multiHeaders?: Record<string, string[]>;
}

export type RouteFunction = (request: ApiRequest) => Promise<ApiResponse>;

const JSON_TYPE = /^application\/(scim\+)?json\s*(;.*)?$/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;.*)?$/i;

export const CONTENT_TYPE: Record<Surface, string> = {
  admin: 'application/json; charset=utf-8',
  scim: 'application/scim+json; charset=utf-8',
  browser: 'text/html; charset=utf-8',
};

function lowerCaseHeaders(headers: APIGatewayProxyEvent['headers'] | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function definedOnly(values: Record<string, string | undefined> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values ?? {})) if (value !== undefined) out[name] = value;
  return out;
}

function parseBody(event: APIGatewayProxyEvent, headers: Record<string, string>, surface: Surface): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLarge(MAX_BODY_BYTES);
  const type = headers['content-type'] ?? '';
  if (surface === 'browser' && FORM_TYPE.test(type)) return Object.fromEntries(new URLSearchParams(raw));
  if (!JSON_TYPE.test(type)) {
    throw new UnsupportedMediaType(
      surface === 'scim' ? 'Send the body as application/scim+json or application/json' : undefined,
    );
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new InvalidJson();
  }
}

function principalOf(event: APIGatewayProxyEvent): Principal | undefined {
  const context = event.requestContext.authorizer as Record<string, unknown> | null | undefined;
  const accountId = context?.accountId;
  if (typeof accountId !== 'string' || accountId === '') return undefined;
  return {
    accountId,
    keyId: String(context?.keyId ?? ''),
    ownerId: String(context?.ownerId ?? ''),
    scopes: String(context?.scopes ?? '')
      .split(',')
      .filter(Boolean),
  };
}

export function toRequest(event: APIGatewayProxyEvent, surface: Surface): ApiRequest {
  const headers = lowerCaseHeaders(event.headers);
  return {
    method: event.httpMethod,
    path: event.path,
    pathParameters: definedOnly(event.pathParameters),
    query: definedOnly(event.queryStringParameters),
    headers,
    body: parseBody(event, headers, surface),
    sourceIp: event.requestContext.identity.sourceIp,
    principal: principalOf(event),
    requestId: event.requestContext.requestId,
    event,
  };
}

const BASE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

export function toResult(response: ApiResponse, surface: Surface): APIGatewayProxyResult {
  const hasJson = response.body !== undefined;
  const hasHtml = response.html !== undefined;
  return {
    statusCode: response.status,
    headers: {
      ...BASE_HEADERS,
      ...(hasJson || hasHtml ? { 'Content-Type': hasHtml ? CONTENT_TYPE.browser : CONTENT_TYPE[surface] } : {}),
      ...response.headers,
    },
    ...(response.multiHeaders ? { multiValueHeaders: response.multiHeaders } : {}),
    body: hasHtml ? (response.html ?? '') : hasJson ? JSON.stringify(response.body) : '',
  };
}

/** Wraps a route function in the shared chain. Use it for every handler: `export const handler = route('admin', fn)`. */
export function route(surface: Surface, fn: RouteFunction) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use({
      onError: (request) => {
        request.response = toResult(renderError(request.error, surface), surface);
      },
    })
    .handler(async (event) => {
      const started = Date.now();
      const request = toRequest(event, surface);
      const response = await fn(request);
      logger.info('request', {
        method: request.method,
        resource: event.resource,
        status: response.status,
        ms: Date.now() - started,
        accountId: request.principal?.accountId,
        requestId: request.requestId,
      });
      return toResult(response, surface);
    });
}
