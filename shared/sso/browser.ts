// What every page and form POST of the sign-in surface shares: strict security headers, the same-origin check that
// stands in for CSRF tokens, and absolute links on the public base (so a stage path prefix on AWS is kept).
import { createHash } from 'node:crypto';
import type { ApiResponse } from '../http/handler.ts';
import { Forbidden } from '../http/errors.ts';
import { page } from '../http/pages.ts';
import { publicBase } from './idp-view.ts';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;box-sizing:border-box}
button,.idp{display:block;width:100%;margin:.75rem 0;padding:.6rem;text-align:center;box-sizing:border-box}
.message{padding:.6rem;background:#fff4e5;border:1px solid #f0c36d}`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** No scripts, no frames, no foreign forms; only our one stylesheet (by hash). */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export function htmlPage(status: number, title: string, bodyHtml: string, extra: Partial<ApiResponse> = {}): ApiResponse {
  return {
    status,
    html: page(title, `<style>${STYLE}</style>${bodyHtml}`),
    ...extra,
    headers: { ...PAGE_HEADERS, ...extra.headers },
  };
}

export const absolute = (path: string): string => `${publicBase()}${path}`;

/**
 * Form POSTs must come from our own pages: `Origin` equal to our origin, or — for browsers that send no Origin —
 * `Sec-Fetch-Site: same-origin`. A cross-site form (login CSRF, forced logout) is refused.
 */
export function requireSameOrigin(headers: Record<string, string>): void {
  const ours = new URL(publicBase()).origin;
  const origin = headers.origin;
  const sameOrigin = origin !== undefined ? origin === ours : headers['sec-fetch-site'] === 'same-origin';
  if (!sameOrigin) throw new Forbidden('This form was sent from another site. Open the sign-in page and try again.');
}
