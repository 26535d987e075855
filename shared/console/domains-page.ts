// The Domains page: add a domain, the TXT record to publish for it (name and value with copy buttons), "Verify" (the
// same DNS lookup as POST /api/v1/domains/{domain}/verify), and each domain's state.
import type { Db } from '../db/client.ts';
import { listDomains } from '../db/domains.ts';
import type { ApiResponse } from '../http/handler.ts';
import { urlFor } from '../http/url.ts';
import { consolePage, csrfField, escapeHtml, formatTime, messages } from './layout.ts';
import type { ConsoleContext } from './route.ts';

export const DOMAIN_NOTICES: Record<string, string> = {
  added: 'The domain was added. Publish the TXT record shown for it, then click Verify.',
  verified: 'The domain is verified.',
};

export interface DomainsPageState {
  status?: number;
  notice?: string;
  error?: string;
  draft?: string;
}

export async function domainsPage(db: Db, ctx: ConsoleContext, state: DomainsPageState = {}): Promise<ApiResponse> {
  const domains = await listDomains(db, ctx.account.id);
  const csrf = csrfField(ctx.csrf);
  const rows = domains
    .map((d, i) => {
      const copy = (id: string) => `<button type="button" class="secondary" data-copy="${id}">Copy</button>`;
      const state = d.verified
        ? `<span class="badge ok">verified</span> <span class="muted">${formatTime(d.verifiedAt)}</span>`
        : '<span class="badge warn">pending</span>';
      const verify = d.verified
        ? ''
        : `<form class="inline" method="post" action="${escapeHtml(urlFor('console-domains-verify', { domain: d.domain }))}">${csrf}<button type="submit" class="secondary">Verify</button></form>`;
      return `<tr data-domain="${escapeHtml(d.domain)}"><td><strong>${escapeHtml(d.domain)}</strong></td>` +
        `<td class="details"><span class="secret" id="txt-name-${i}">${escapeHtml(d.txtName)}</span> ${copy(`txt-name-${i}`)}</td>` +
        `<td class="details"><span class="secret" id="txt-value-${i}">${escapeHtml(d.txtValue)}</span> ${copy(`txt-value-${i}`)}</td>` +
        `<td>${state}</td><td>${verify}</td></tr>`;
    })
    .join('');
  const body = `<h1>Domains</h1>${messages(state)}
<section class="card"><h2>Add a domain</h2>
<form method="post" action="${escapeHtml(urlFor('console-domains-add'))}">${csrf}
<div class="row"><div><label for="domain">Domain</label><input id="domain" name="domain" type="text" required maxlength="253" placeholder="example.com" value="${escapeHtml(state.draft ?? '')}"></div>
<div><button type="submit" id="add-domain">Add domain</button></div></div>
<p class="muted">Verifying a domain proves your organisation owns it: publish the TXT record shown below in its DNS, then click Verify. JIT sign-in creates accounts only for emails on verified domains.</p></form></section>
<table><thead><tr><th>Domain</th><th>TXT record name</th><th>TXT record value</th><th>State</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="5" class="muted">No domains yet.</td></tr>'}</tbody></table>`;
  return {
    status: state.status ?? 200,
    html: consolePage({ title: 'Domains', section: 'domains', who: { email: ctx.user.email, accountName: ctx.account.name }, body }),
  };
}
