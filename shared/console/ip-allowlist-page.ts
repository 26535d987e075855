// The IP allowlist page: edit the list (validated exactly as PUT /api/v1/account/ip-allowlist), and a warning before a
// save that would refuse the admin's own current address. The allowlist guards the API (admin API and SCIM), not this
// console, and the page says so.
import { MAX_ALLOWLIST_ENTRIES, ipAllowed, normaliseIp } from '../auth/ip-allowlist.ts';
import type { ApiResponse } from '../http/handler.ts';
import { urlFor } from '../http/url.ts';
import { consolePage, csrfField, escapeHtml, messages } from './layout.ts';
import type { ConsoleContext } from './route.ts';

export const ALLOWLIST_NOTICES: Record<string, string> = { saved: 'The IP allowlist was saved.' };

/** The form's confirmation value after the lock-out warning. */
export const CONFIRM_LOCKOUT = 'lockout';

export interface AllowlistPageState {
  status?: number;
  notice?: string;
  error?: string;
  /** The text as the admin typed it (kept on an error or a warning). */
  draft?: string;
  /** The entered list would refuse the admin's own address: ask before saving. */
  confirmLockout?: boolean;
}

/** One entry a line; blank lines ignored. Commas are accepted too, since people paste lists. */
export function allowlistLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\r\n,]+/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export function allowlistPage(ctx: ConsoleContext, state: AllowlistPageState = {}): ApiResponse {
  const current = ctx.account.ipAllowlist;
  const ip = normaliseIp(ctx.request.sourceIp);
  const currentAllows = ipAllowed(current, ip);
  const warning = state.confirmLockout
    ? `Your current address ${ip} is not in this list: once saved, API requests from here (admin API and SCIM) will be refused. Save anyway only if you will call the API from another address.`
    : !currentAllows
      ? `Your current address ${ip} is outside the saved allowlist: API requests from here are refused.`
      : undefined;
  const text = state.draft ?? current.join('\n');
  const body = `<h1>IP allowlist</h1>${messages({ ...state, warning })}
<section class="card">
<p>The allowlist applies to the <strong>API</strong> — the admin API and SCIM requests made with your account's API keys. It does not restrict this console or single sign-on. An empty list means no restriction.</p>
<p>Your current address: <code id="current-ip">${escapeHtml(ip)}</code> — ${
    currentAllows ? '<span class="badge ok">allowed by the saved list</span>' : '<span class="badge off">outside the saved list</span>'
  }</p>
<form method="post" action="${escapeHtml(urlFor('console-ip-allowlist-save'))}">${csrfField(ctx.csrf)}
<input type="hidden" name="version" value="${ctx.account.version}">
${state.confirmLockout ? `<input type="hidden" name="confirm" value="${CONFIRM_LOCKOUT}">` : ''}
<label for="cidrs">Addresses and CIDR ranges, one per line (IPv4 or IPv6, at most ${MAX_ALLOWLIST_ENTRIES})</label>
<textarea id="cidrs" name="cidrs" spellcheck="false" placeholder="203.0.113.0/24&#10;2001:db8::/32">${escapeHtml(text)}</textarea>
<p><button type="submit" id="save-allowlist" class="${state.confirmLockout ? 'danger' : ''}">${state.confirmLockout ? 'Save anyway' : 'Save'}</button></p>
</form></section>`;
  return {
    status: state.status ?? 200,
    html: consolePage({ title: 'IP allowlist', section: 'ip-allowlist', who: { email: ctx.user.email, accountName: ctx.account.name }, body }),
  };
}
