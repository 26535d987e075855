// The Audit log page: filters (type, actor, outcome, since, until) over listAuditEvents, newest first, "Next page" by cursor.
import type { Db } from '../db/client.ts';
import { listAuditEvents } from '../db/audit.ts';
import { auditQueryFromParams } from '../http/audit-query.ts';
import { HttpError } from '../http/errors.ts';
import type { ApiResponse } from '../http/handler.ts';
import { urlFor } from '../http/url.ts';
import { consolePage, escapeHtml, formatTime, messages, withQuery } from './layout.ts';
import type { ConsoleContext } from './route.ts';
import { userEmails } from './user-emails.ts';

const FILTERS = ['type', 'actor', 'outcome', 'since', 'until'] as const;

/** `<input type="datetime-local">` sends `2026-11-30T11:15` without a zone; the page labels its times UTC, so read them so. */
function utcFromLocalInput(value: string | undefined): string | undefined {
  if (value && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return `${value}${value.length === 16 ? ':00' : ''}Z`;
  return value;
}

interface Party {
  type?: unknown;
  id?: unknown;
}

const asParty = (value: unknown): Party | undefined =>
  value && typeof value === 'object' ? (value as Party) : undefined;

/** `user ada@example.com` (the id on hover), `apiKey 3f…`; actors link to the log filtered by that actor. */
function describe(value: unknown, emails: Map<string, string>, actorLink: boolean): string {
  const party = asParty(value);
  if (!party) return '';
  const id = party.id === undefined ? '' : String(party.id);
  const email = party.type === 'user' ? emails.get(id) : undefined;
  const label = `${escapeHtml(String(party.type ?? ''))} ${email ? `<span title="${escapeHtml(id)}">${escapeHtml(email)}</span>` : escapeHtml(id)}`;
  return actorLink && id ? `<a href="${escapeHtml(withQuery(urlFor('console-audit'), { actor: id }))}">${label}</a>` : label;
}

export async function auditPage(db: Db, ctx: ConsoleContext): Promise<ApiResponse> {
  const params: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = ctx.request.query[name]?.trim();
    if (value) params[name] = value;
  }
  let error: string | undefined;
  let page: Awaited<ReturnType<typeof listAuditEvents>> = { items: [], nextCursor: undefined };
  try {
    const query = auditQueryFromParams({
      ...params,
      since: utcFromLocalInput(params.since) ?? '',
      until: utcFromLocalInput(params.until) ?? '',
      cursor: ctx.request.query.cursor ?? '',
      limit: ctx.request.query.limit ?? '',
    });
    page = await listAuditEvents(db, ctx.account.id, query);
  } catch (e) {
    if (!(e instanceof HttpError) || e.status !== 400) throw e;
    error = e.detail;
  }
  const mentioned = page.items.flatMap((event) =>
    [asParty(event.actor), asParty(event.target)].flatMap((p) => (p?.type === 'user' && p.id !== undefined ? [String(p.id)] : [])),
  );
  const emails = await userEmails(db, ctx.account.id, mentioned);
  const rows = page.items
    .map((event) => {
      const outcome = String(event.outcome ?? '');
      const details = event.details && typeof event.details === 'object'
        ? Object.entries(event.details)
            .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
            .join('; ')
        : '';
      return `<tr data-action="${escapeHtml(String(event.action ?? ''))}"><td class="nowrap">${formatTime(String(event.at ?? ''))}</td>` +
        `<td><code>${escapeHtml(String(event.action ?? ''))}</code></td><td>${describe(event.actor, emails, true)}</td>` +
        `<td>${describe(event.target, emails, false)}</td>` +
        `<td><span class="badge ${outcome === 'success' ? 'ok' : 'off'}">${escapeHtml(outcome)}</span>${event.reason ? ` <span class="muted">${escapeHtml(String(event.reason))}</span>` : ''}</td>` +
        `<td>${escapeHtml(String(event.sourceIp ?? ''))}</td><td class="muted details">${escapeHtml(details)}</td></tr>`;
    })
    .join('');
  const value = (name: (typeof FILTERS)[number]) => escapeHtml(params[name] ?? '');
  const selected = (v: string) => (params.outcome === v ? ' selected' : '');
  const next = page.nextCursor
    ? withQuery(urlFor('console-audit'), { ...params, limit: ctx.request.query.limit, cursor: page.nextCursor })
    : undefined;
  const body = `<h1>Audit log</h1>${messages({ error })}
<section class="card"><form method="get" action="${escapeHtml(urlFor('console-audit'))}"><div class="row">
<div><label for="type">Type</label><input id="type" name="type" type="text" placeholder="e.g. login or user.invited" value="${value('type')}"></div>
<div><label for="actor">Actor id</label><input id="actor" name="actor" type="text" value="${value('actor')}"></div>
<div><label for="outcome">Outcome</label><select id="outcome" name="outcome"><option value="">any</option><option value="success"${selected('success')}>success</option><option value="failure"${selected('failure')}>failure</option></select></div>
<div><label for="since">Since (UTC)</label><input id="since" name="since" type="datetime-local" value="${value('since')}"></div>
<div><label for="until">Until (UTC)</label><input id="until" name="until" type="datetime-local" value="${value('until')}"></div>
<div><button type="submit">Filter</button></div></div>
<p class="muted">A type matches an action or its prefix: <code>login</code> finds <code>login.failed</code> and <code>login.succeeded</code>.</p></form></section>
<table><thead><tr><th>Time</th><th>Action</th><th>Actor</th><th>Target</th><th>Outcome</th><th>Source IP</th><th>Details</th></tr></thead>
<tbody>${rows || '<tr><td colspan="7" class="muted">No events match.</td></tr>'}</tbody></table>
${next ? `<p><a id="next-page" href="${escapeHtml(next)}">Next page →</a></p>` : ''}`;
  return {
    status: error ? 400 : 200,
    html: consolePage({ title: 'Audit log', section: 'audit', who: { email: ctx.user.email, accountName: ctx.account.name }, body }),
  };
}
