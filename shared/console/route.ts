// The console's guard around every page: a live session whose user is an admin (no session → 303 to the login page with
// `returnTo`; a signed-in non-admin → 403), and on POST the Origin check and the session-bound CSRF token. Every response
// — pages, redirects and error pages — carries the console's security headers.
import { sessionCookieValue, validateSession, type SessionItem } from '../auth/sessions.ts';
import { requireAccount, type Account } from '../db/accounts.ts';
import type { AuditEvent } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import type { UserItem } from '../db/users.ts';
import { HttpError } from '../http/errors.ts';
import { route, type ApiRequest, type ApiResponse } from '../http/handler.ts';
import { pathFor } from '../http/url.ts';
import { renderError } from '../http/render-error.ts';
import { requireEnv } from '../config.ts';
import { consolePage, escapeHtml } from './layout.ts';
import { CSRF_FIELD, csrfToken, csrfTokenValid, originAllowed, withSecurityHeaders } from './security.ts';

export interface ConsoleContext {
  request: ApiRequest;
  session: SessionItem;
  user: UserItem;
  account: Account;
  /** The session's CSRF token, for the forms the page renders. */
  csrf: string;
  /** POST form fields (strings), without the CSRF field; empty on GET. */
  form: Record<string, string>;
  /** The audit fields for an action taken by the signed-in admin from this request. */
  audit(action: string): AuditEvent;
}

export type ConsoleFunction = (context: ConsoleContext) => Promise<ApiResponse>;

export function redirect(location: string): ApiResponse {
  return { status: 303, headers: { Location: location } };
}

/** A console error page (no navigation: the viewer may not be an admin). */
export function consoleErrorPage(status: number, title: string, detail: string): ApiResponse {
  return {
    status,
    html: consolePage({ title, body: `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>` }),
  };
}

function loginRedirect(request: ApiRequest): ApiResponse {
  // GET pages come back to themselves; a form post (whose session ran out) to the console's start, since its own path
  // answers POST only and its form data is gone anyway.
  const query = new URLSearchParams(request.query).toString();
  const returnTo = request.method === 'GET' ? `${request.path}${query ? `?${query}` : ''}` : pathFor('console-home');
  const base = requireEnv('PUBLIC_BASE_URL').replace(/\/$/, '');
  return redirect(`${base}/login?returnTo=${encodeURIComponent(returnTo)}`);
}

function formFields(body: unknown): Record<string, string> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') return undefined;
    out[name] = value;
  }
  return out;
}

async function guarded(db: Db, request: ApiRequest, fn: ConsoleFunction): Promise<ApiResponse> {
  const signedIn = await validateSession(db, sessionCookieValue(request.headers.cookie));
  if (!signedIn) return loginRedirect(request);
  const { session, user } = signedIn;
  if (user.role !== 'admin') {
    return consoleErrorPage(403, 'Admins only', 'The admin console is open to account admins only. Ask an admin of your account for access.');
  }
  let form: Record<string, string> = {};
  if (request.method === 'POST') {
    const fields = request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded')
      ? formFields(request.body ?? {})
      : undefined;
    if (!originAllowed(request.headers) || !fields || !csrfTokenValid(session, fields[CSRF_FIELD])) {
      return consoleErrorPage(403, 'Request refused', 'This form could not be verified. Reload the page and try again.');
    }
    const { [CSRF_FIELD]: _csrf, ...rest } = fields;
    form = rest;
  }
  const account = await requireAccount(db, session.accountId);
  return fn({
    request,
    session,
    user,
    account,
    csrf: csrfToken(session),
    form,
    audit: (action) => ({
      accountId: session.accountId,
      action,
      actor: { type: 'user', id: user.id },
      outcome: 'success',
      sourceIp: request.sourceIp,
      details: { via: 'console' },
    }),
  });
}

/**
 * Wraps a console page in the shared middy chain and the admin guard. The security headers go on outside the chain, so
 * they are on every answer, also the ones the chain itself renders (a body it cannot parse, a 500).
 */
export function consoleRoute(db: Db, fn: ConsoleFunction) {
  const chain = route('browser', async (request) => {
    try {
      return await guarded(db, request, fn);
    } catch (error) {
      // Known refusals get the console's own page; anything else goes through the one renderer (logged, generic 500).
      if (error instanceof HttpError && error.status < 500) {
        return { ...consoleErrorPage(error.status, 'Something is not right', error.detail), headers: error.headers };
      }
      return renderError(error, 'browser');
    }
  });
  return withSecurityHeaders(chain);
}
