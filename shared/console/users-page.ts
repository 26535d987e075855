// The Users page: people with their source, state and role; the invite form; disable / enable.
import type { Db } from '../db/client.ts';
import { listUsers } from '../db/users.ts';
import type { ApiResponse } from '../http/handler.ts';
import { urlFor } from '../http/url.ts';
import { consolePage, csrfField, escapeHtml, messages, withQuery } from './layout.ts';
import type { ConsoleContext } from './route.ts';

export const USER_NOTICES: Record<string, string> = {
  invited: 'The user was invited. They can sign in with single sign-on.',
  disabled: 'The user was disabled: their sessions and API keys stop working at once.',
  enabled: 'The user was enabled.',
};

const SOURCE_LABEL: Record<string, string> = { invite: 'Invite', jit: 'JIT', scim: 'SCIM', operator: 'Operator' };

export interface UsersPageState {
  status?: number;
  notice?: string;
  error?: string;
  draft?: { email?: string; role?: string; displayName?: string };
}

export async function usersPage(db: Db, ctx: ConsoleContext, state: UsersPageState = {}): Promise<ApiResponse> {
  const cursor = ctx.request.method === 'GET' ? ctx.request.query.cursor : undefined;
  const users = await listUsers(db, ctx.account.id, { limit: 50, cursor });
  const rows = users.items
    .map((u) => {
      const self = u.id === ctx.user.id;
      const toggle = self
        ? '<span class="muted">you</span>'
        : `<form class="inline" method="post" action="${escapeHtml(urlFor('console-users-active', { id: u.id }))}"${
            u.active ? ` data-confirm="Disable ${escapeHtml(u.email)}? Their sessions and API keys stop working."` : ''
          }>${csrfField(ctx.csrf)}<input type="hidden" name="active" value="${u.active ? 'false' : 'true'}">` +
          `<button type="submit" class="${u.active ? 'danger' : 'secondary'}">${u.active ? 'Disable' : 'Enable'}</button></form>`;
      return `<tr data-user="${escapeHtml(u.email)}"><td>${escapeHtml(u.email)}</td><td>${escapeHtml(u.displayName ?? '')}</td>` +
        `<td>${escapeHtml(SOURCE_LABEL[u.source] ?? u.source)}</td>` +
        `<td><span class="badge ${u.active ? 'ok' : 'off'}">${u.active ? 'Active' : 'Disabled'}</span></td>` +
        `<td>${escapeHtml(u.role)}</td><td>${toggle}</td></tr>`;
    })
    .join('');
  const role = state.draft?.role === 'admin' ? 'admin' : 'member';
  const body = `<h1>Users</h1>${messages(state)}
<section class="card"><h2>Invite a user</h2>
<form method="post" action="${escapeHtml(urlFor('console-users-invite'))}">${csrfField(ctx.csrf)}
<div class="row"><div><label for="email">Email</label><input id="email" name="email" type="email" required maxlength="254" value="${escapeHtml(state.draft?.email ?? '')}"></div>
<div><label for="displayName">Name (optional)</label><input id="displayName" name="displayName" type="text" maxlength="200" value="${escapeHtml(state.draft?.displayName ?? '')}"></div>
<div><label for="role">Role</label><select id="role" name="role"><option value="member"${role === 'member' ? ' selected' : ''}>member</option><option value="admin"${role === 'admin' ? ' selected' : ''}>admin</option></select></div>
<div><button type="submit" id="invite">Invite</button></div></div>
<p class="muted">Invited users sign in with your identity provider. Users created by JIT sign-in or SCIM appear here too.</p></form></section>
<table><thead><tr><th>Email</th><th>Name</th><th>Source</th><th>State</th><th>Role</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="6" class="muted">No users yet.</td></tr>'}</tbody></table>
${users.nextCursor ? `<p><a href="${escapeHtml(withQuery(urlFor('console-users'), { cursor: users.nextCursor }))}">Next page →</a></p>` : ''}`;
  return {
    status: state.status ?? 200,
    html: consolePage({ title: 'Users', section: 'users', who: { email: ctx.user.email, accountName: ctx.account.name }, body }),
  };
}
