// One error model (STYLE.md habit 2): errors are named after what the client sees; only the renderer turns them into
// responses. Protocol modules add subclasses (SCIM scimType, OAuth codes) but never render them themselves.

export class HttpError extends Error {
  /** The SCIM `scimType` this error has when a SCIM client sees it (RFC 7644 §3.12). */
  scimType?: string;

  constructor(
    readonly status: number,
    /** A stable machine-readable code, e.g. `invalid_request`. */
    readonly code: string,
    /** What the caller can act on; safe to show. */
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class BadRequest extends HttpError {
  constructor(detail: string, code = 'invalid_request', scimType = 'invalidValue') {
    super(400, code, detail);
    this.scimType = scimType;
  }
}

export class InvalidJson extends BadRequest {
  constructor() {
    super('The request body is not valid JSON', 'invalid_json', 'invalidSyntax');
  }
}

export class Unauthorized extends HttpError {
  constructor(detail = 'Missing or invalid credentials') {
    super(401, 'unauthorized', detail, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class Forbidden extends HttpError {
  constructor(detail = 'Not allowed') {
    super(403, 'forbidden', detail);
  }
}

export class NotFound extends HttpError {
  constructor(detail = 'Not found') {
    super(404, 'not_found', detail);
  }
}

export class MethodNotAllowed extends HttpError {
  constructor(detail = 'Method not allowed') {
    super(405, 'method_not_allowed', detail);
  }
}

export class Conflict extends HttpError {
  constructor(detail: string, code = 'conflict', scimType = 'uniqueness') {
    super(409, code, detail);
    this.scimType = scimType;
  }
}

export class PreconditionFailed extends HttpError {
  constructor(detail = 'The resource has changed since it was read') {
    super(412, 'precondition_failed', detail);
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(limit: number) {
    super(413, 'payload_too_large', `The request body is larger than ${limit} bytes`);
  }
}

export class UnsupportedMediaType extends HttpError {
  constructor(detail = 'Send the body as application/json') {
    super(415, 'unsupported_media_type', detail);
  }
}

export class ServiceUnavailable extends HttpError {
  constructor(detail = 'The service is busy; retry shortly', retryAfterSeconds = 1) {
    super(503, 'unavailable', detail, { 'Retry-After': String(retryAfterSeconds) });
  }
}

const TRANSIENT_AWS_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TimeoutError',
  'InternalServerError',
  'ServiceUnavailable',
]);

/** Network failures on the way to DynamoDB (after the SDK's own retries). */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * DynamoDB throttling, timeouts and an unreachable endpoint are the service's trouble, not the client's: they become
 * 503 + Retry-After.
 */
export function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_AWS_ERRORS.has(error.name)) return true;
  if (TRANSIENT_NETWORK_CODES.has(String((error as { code?: unknown }).code))) return true;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (
    error.name === 'TransactionCanceledException' &&
    (reasons ?? []).some((r) => r.Code === 'ThrottlingError' || r.Code === 'TransactionConflict')
  );
}

/** Did a transaction lose to another one in flight on the same item (worth retrying as is)? */
export function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (reasons ?? []).some((r) => r.Code === 'TransactionConflict');
}

/** Was a conditional write (or one condition inside a transaction) refused? */
export function isConditionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return error.name === 'TransactionCanceledException' && (reasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
}

/** The index of each transaction item whose condition failed. */
export function failedConditionIndexes(error: unknown): number[] {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] } | undefined)?.CancellationReasons ?? [];
  return reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
}
