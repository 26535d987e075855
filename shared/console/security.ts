// Browser hardening for the admin console: the response headers every console page carries, and CSRF protection for its
// forms (a synchronizer token bound to the session, plus a same-origin check on the Origin header).
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { requireEnv } from '../config.ts';
import type { SessionItem } from '../auth/sessions.ts';

/**
 * No inline script or style anywhere: scripts and styles come only from our own origin (the console's asset route).
 * `Referrer-Policy: same-origin` rather than `no-referrer`, because with `no-referrer` Chromium sends `Origin: null` on
 * form posts and the Origin check below could not tell our own forms from anyone else's.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Puts SECURITY_HEADERS on every answer of a handler, outside its middleware chain, so they are also on the answers the
 * chain renders itself (a body it cannot parse, a 404, a 500).
 */
export function withSecurityHeaders(handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>) {
  return async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const result = await handler(event, context);
    return { ...result, headers: { ...result.headers, ...SECURITY_HEADERS } };
  };
}

/** The form field that carries the CSRF token. */
export const CSRF_FIELD = '_csrf';

/**
 * The session's CSRF token: HMAC-SHA256 of the session id, keyed with the session's own secret hash (a per-session secret
 * that only the server holds; the cookie carries the preimage, never the hash). Stable for the session's life, so every
 * form of every page carries the same token, and nothing extra is stored.
 */
export function csrfToken(session: Pick<SessionItem, 'id' | 'secretHash'>): string {
  return createHmac('sha256', Buffer.from(session.secretHash, 'hex')).update(`console-csrf:${session.id}`).digest('base64url');
}

export function csrfTokenValid(session: Pick<SessionItem, 'id' | 'secretHash'>, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 128) return false;
  const expected = Buffer.from(csrfToken(session), 'utf8');
  const given = Buffer.from(presented, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The console's own origin, from the public base URL (the custom domain, or the API stage URL). */
export function consoleOrigin(): string {
  return new URL(requireEnv('PUBLIC_BASE_URL')).origin;
}

/** A state-changing request must name our origin; a missing or `null` Origin is refused (browsers send it on POST). */
export function originAllowed(headers: Record<string, string>): boolean {
  return headers.origin === consoleOrigin();
}
