// What API Gateway itself answers before any handler runs. The CDK stack installs these as gateway responses and the
// local server returns the same, so clients see one behaviour. The body is SCIM's error schema (it is plain JSON with
// `status` and `detail`, which admin clients read too).
export interface GatewayResponse {
  /** API Gateway's ResponseType. */
  type:
    | 'UNAUTHORIZED'
    | 'ACCESS_DENIED'
    | 'MISSING_AUTHENTICATION_TOKEN'
    | 'THROTTLED'
    | 'AUTHORIZER_FAILURE'
    | 'DEFAULT_4XX'
    | 'DEFAULT_5XX';
  status: number;
  detail: string;
  /** Extra static headers for this response (API Gateway: `responseHeaders`). */
  headers?: Readonly<Record<string, string>>;
}

export const GATEWAY_RESPONSES: readonly GatewayResponse[] = [
  { type: 'UNAUTHORIZED', status: 401, detail: 'Missing or invalid credentials' },
  { type: 'ACCESS_DENIED', status: 403, detail: 'This key may not call this route from this address' },
  { type: 'MISSING_AUTHENTICATION_TOKEN', status: 404, detail: 'No such route' },
  { type: 'THROTTLED', status: 429, detail: 'Too many requests; retry shortly', headers: { 'Retry-After': '1' } },
  // The authorizer failed (DynamoDB throttled or timed out while verifying the key): the service's trouble, so 503.
  { type: 'AUTHORIZER_FAILURE', status: 503, detail: 'The service is busy; retry shortly', headers: { 'Retry-After': '1' } },
  { type: 'DEFAULT_4XX', status: 400, detail: 'The request was refused' },
  { type: 'DEFAULT_5XX', status: 500, detail: 'An internal error occurred' },
];

export function gatewayResponseBody(response: GatewayResponse): string {
  return JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(response.status),
    detail: response.detail,
  });
}

export const GATEWAY_RESPONSE_HEADERS = {
  'Content-Type': 'application/scim+json; charset=utf-8',
  'Cache-Control': 'no-store',
} as const;

/** All headers API Gateway sends with this response. */
export function gatewayResponseHeaders(response: GatewayResponse): Record<string, string> {
  return { ...GATEWAY_RESPONSE_HEADERS, ...response.headers };
}

export function gatewayResponse(type: GatewayResponse['type']): GatewayResponse {
  const response = GATEWAY_RESPONSES.find((r) => r.type === type);
  if (!response) throw new Error(`Unknown gateway response ${type}`);
  return response;
}
