// The console's shared layout: navigation, flash notices, and small HTML helpers. Every dynamic value is escaped here or
// by the caller through escapeHtml; no page carries inline script or style.
import { escapeHtml } from '../http/pages.ts';
import { urlFor } from '../http/url.ts';
import type { RouteId } from '../http/routes/index.ts';
import { CSRF_FIELD } from './security.ts';

export { escapeHtml };

export type ConsoleSection = 'users' | 'api-keys' | 'ip-allowlist' | 'audit';

const NAV: readonly { section: ConsoleSection; label: string; route: RouteId }[] = [
  { section: 'users', label: 'Users', route: 'console-users' },
  { section: 'api-keys', label: 'API keys & SCIM', route: 'console-api-keys' },
  { section: 'ip-allowlist', label: 'IP allowlist', route: 'console-ip-allowlist' },
  { section: 'audit', label: 'Audit log', route: 'console-audit' },
];

export interface LayoutInput {
  title: string;
  section?: ConsoleSection;
  /** Shown in the header: who is signed in, to which account. */
  who?: { email: string; accountName: string };
  body: string;
}

export function consolePage(input: LayoutInput): string {
  const nav = input.who
    ? `<nav>${NAV.map(
        (n) =>
          `<a href="${escapeHtml(urlFor(n.route))}"${n.section === input.section ? ' aria-current="page"' : ''}>${escapeHtml(n.label)}</a>`,
      ).join('')}</nav><span class="who">${escapeHtml(input.who.email)} · ${escapeHtml(input.who.accountName)}</span>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} · Admin console</title>
<link rel="stylesheet" href="${escapeHtml(urlFor('console-asset', { name: 'console.css' }))}">
<script src="${escapeHtml(urlFor('console-asset', { name: 'console.js' }))}" defer></script>
</head>
<body><header><span class="brand">Admin console</span>${nav}</header>
<main>${input.body}</main></body></html>`;
}

/** A hidden CSRF field for a POST form. */
export const csrfField = (token: string): string => `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`;

export function messages(input: { notice?: string; error?: string; warning?: string }): string {
  return [
    input.notice ? `<div class="notice" role="status">${escapeHtml(input.notice)}</div>` : '',
    input.warning ? `<div class="warning" role="alert">${escapeHtml(input.warning)}</div>` : '',
    input.error ? `<div class="error" role="alert">${escapeHtml(input.error)}</div>` : '',
  ].join('');
}

/** `2026-11-30 11:15 UTC`, or a dash. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '—';
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Query-string builder for links that keep filters; values are URL-encoded (and the whole href escaped by the caller). */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `${url}?${text}` : url;
}
