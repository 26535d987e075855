// The API keys & SCIM page: "Enable SCIM" (a scim key shown once, with the base URL and the Okta / Entra field names),
// the key list with last use and expiry (warning within 14 days), revoke.
import type { Db } from '../db/client.ts';
import { listApiKeys } from '../db/api-keys.ts';
import { listIdps } from '../db/idps.ts';
import type { ApiResponse } from '../http/handler.ts';
import { urlFor } from '../http/url.ts';
import { consolePage, csrfField, escapeHtml, formatTime, messages, withQuery } from './layout.ts';
import type { ConsoleContext } from './route.ts';
import { SCIM_FIELD_NAMES, scimBaseUrl } from './scim.ts';

export const EXPIRY_WARNING_DAYS = 14;

export const KEY_NOTICES: Record<string, string> = {
  revoked: 'The key was revoked. Requests with it are refused from now on.',
};

export interface ApiKeysPageState {
  status?: number;
  notice?: string;
  error?: string;
  /** A SCIM key just created: its token is rendered on this one response and never again. */
  created?: { token: string; keyId: string };
}

function shownOnce(created: NonNullable<ApiKeysPageState['created']>): string {
  const base = scimBaseUrl();
  const copy = (id: string) => `<button type="button" class="secondary" data-copy="${id}">Copy</button>`;
  return `<section class="card" id="scim-created"><h2>SCIM is enabled — copy the token now</h2>
<div class="warning" role="alert">This token is shown only once. Store it in your identity provider now; if it is lost, enable SCIM again to get a new one and revoke this one.</div>
<dl class="fields">
<dt>SCIM base URL</dt><dd><span class="secret" id="scim-base-url">${escapeHtml(base)}</span> ${copy('scim-base-url')}</dd>
<dt>Token</dt><dd><span class="secret" id="scim-token">${escapeHtml(created.token)}</span> ${copy('scim-token')}</dd>
</dl>
<table><thead><tr><th>Identity provider</th><th>Paste the base URL into</th><th>Paste the token into</th></tr></thead><tbody>
<tr><td>Okta</td><td>${SCIM_FIELD_NAMES.okta.baseUrl} (SCIM connector base URL)</td><td>${SCIM_FIELD_NAMES.okta.token} (authentication mode: HTTP Header)</td></tr>
<tr><td>Microsoft Entra ID</td><td>${SCIM_FIELD_NAMES.entra.baseUrl}</td><td>${SCIM_FIELD_NAMES.entra.token}</td></tr>
</tbody></table></section>`;
}

export async function apiKeysPage(db: Db, ctx: ConsoleContext, state: ApiKeysPageState = {}): Promise<ApiResponse> {
  const cursor = ctx.request.method === 'GET' ? ctx.request.query.cursor : undefined;
  const [keys, idps] = await Promise.all([
    listApiKeys(db, ctx.account.id, { limit: 100, cursor }),
    listIdps(db, ctx.account.id),
  ]);
  const now = Date.now();
  const soon = now + EXPIRY_WARNING_DAYS * 86_400_000;
  const expiring = keys.items.filter((k) => Date.parse(k.expiresAt) <= soon);
  const rows = keys.items
    .map((k) => {
      const expires = Date.parse(k.expiresAt);
      const badge =
        expires <= now
          ? ' <span class="badge off">expired</span>'
          : expires <= soon
            ? ` <span class="badge warn">expires in ${Math.max(1, Math.ceil((expires - now) / 86_400_000))} d</span>`
            : '';
      return `<tr data-key="${escapeHtml(k.id)}"><td>${escapeHtml(k.description)}</td><td><code>${escapeHtml(k.prefix)}…</code></td>` +
        `<td>${k.scopes.map((s) => `<span class="badge">${escapeHtml(s)}</span>`).join(' ')}</td>` +
        `<td class="muted">${escapeHtml(k.ownerId)}</td><td>${formatTime(k.createdAt)}</td><td>${k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never'}</td>` +
        `<td>${formatTime(k.expiresAt)}${badge}</td>` +
        `<td><form class="inline" method="post" action="${escapeHtml(urlFor('console-api-keys-revoke', { id: k.id }))}" data-confirm="Revoke this key? Requests with it are refused at once.">` +
        `${csrfField(ctx.csrf)}<button type="submit" class="danger">Revoke</button></form></td></tr>`;
    })
    .join('');
  const warning =
    expiring.length > 0
      ? `${expiring.length} key${expiring.length === 1 ? '' : 's'} expire${expiring.length === 1 ? 's' : ''} within ${EXPIRY_WARNING_DAYS} days (or already expired): create a replacement and update your identity provider before it stops working.`
      : undefined;
  const enable =
    idps.length === 0
      ? `<p>SCIM can be enabled once the account has an identity provider. Add one first, then come back here.</p>`
      : `<form method="post" action="${escapeHtml(urlFor('console-scim-enable'))}">${csrfField(ctx.csrf)}
<p>Creates a key with the <code>scim</code> scope for your identity provider's provisioning connector. It is shown once.</p>
<button type="submit" id="enable-scim">Enable SCIM</button></form>`;
  const body = `<h1>API keys &amp; SCIM</h1>${messages({ ...state, warning })}
${state.created ? shownOnce(state.created) : ''}
<section class="card"><h2>SCIM provisioning</h2>
<p class="muted">SCIM base URL: <code>${escapeHtml(scimBaseUrl())}</code></p>${enable}</section>
<h2>Active keys</h2>
<table><thead><tr><th>Description</th><th>Prefix</th><th>Scopes</th><th>Owner</th><th>Created</th><th>Last used</th><th>Expires</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="8" class="muted">No active keys.</td></tr>'}</tbody></table>
${keys.nextCursor ? `<p><a href="${escapeHtml(withQuery(urlFor('console-api-keys'), { cursor: keys.nextCursor }))}">Next page →</a></p>` : ''}
<p class="muted">Keys are never shown again after creation; only their prefix is listed. Admin keys are minted with the API (<code>POST /api/v1/api-keys</code>).</p>`;
  return {
    status: state.status ?? 200,
    html: consolePage({ title: 'API keys & SCIM', section: 'api-keys', who: { email: ctx.user.email, accountName: ctx.account.name }, body }),
  };
}
