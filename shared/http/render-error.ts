// The only place errors become responses. Anything unexpected is a generic 500 whose detail stays in the log.
import { HttpError, ServiceUnavailable, isTransientAwsError } from './errors.ts';
import { logger } from './logger.ts';
import { errorPage } from './pages.ts';
import type { ApiResponse } from './handler.ts';
import type { Surface } from './routes/types.ts';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isTransientAwsError(error)) {
    logger.warn('transient dependency failure', { error: (error as Error).name });
    return new ServiceUnavailable();
  }
  logger.error('unhandled error', error instanceof Error ? error : new Error(String(error)));
  return new HttpError(500, 'internal_error', 'An internal error occurred; it has been logged');
}

export function renderError(error: unknown, surface: Surface): ApiResponse {
  const e = toHttpError(error);
  if (e.status < 500) logger.info('request refused', { status: e.status, code: e.code });
  switch (surface) {
    case 'scim':
      return {
        status: e.status,
        headers: e.headers,
        body: {
          schemas: [SCIM_ERROR_SCHEMA],
          status: String(e.status),
          ...(e.scimType ? { scimType: e.scimType } : {}),
          detail: e.detail,
        },
      };
    case 'browser':
      return { status: e.status, headers: e.headers, html: errorPage(e.status, e.detail) };
    case 'admin':
      return { status: e.status, headers: e.headers, body: { status: e.status, error: e.code, detail: e.detail } };
  }
}
