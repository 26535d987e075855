// The Enforcement & provisioning page: SSO enforcement (mixed / enforced) and how people get accounts (invite / JIT /
// SCIM), each its own radio form. When enforcement is refused because no IdP has completed a test login, the page
// explains the lock-out guard and links to the identity providers.
import type { Db } from '../db/client.ts';
import { listIdps } from '../db/idps.ts';
import type { ApiResponse } from '../http/handler.ts';
import { pathFor, urlFor } from '../http/url.ts';
import { consolePage, csrfField, escapeHtml, messages } from './layout.ts';
import type { ConsoleContext } from './route.ts';

export const SETTINGS_NOTICES: Record<string, string> = { saved: 'The settings were saved.' };

export interface SettingsPageState {
  status?: number;
  notice?: string;
  error?: string;
  /** Enforcement was refused: no IdP has completed a test login. */
  lockoutGuard?: boolean;
}

const ENFORCEMENT = [
  ['mixed', 'Mixed', 'People may sign in with single sign-on or, where the account has them, other methods.'],
  ['enforced', 'Enforced', 'Everyone signs in through one of the account’s identity providers.'],
] as const;

const PROVISIONING = [
  ['invite', 'Invite', 'Only people an admin invited (Users page or API) can sign in.'],
  ['jit', 'Just-in-time (JIT)', 'Anyone your IdP signs in with an email on a verified domain gets a member account at first sign-in.'],
  ['scim', 'SCIM', 'Your IdP creates, updates and disables people over SCIM (enable it on the API keys & SCIM page).'],
] as const;

export async function settingsPage(db: Db, ctx: ConsoleContext, state: SettingsPageState = {}): Promise<ApiResponse> {
  const idps = await listIdps(db, ctx.account.id);
  const tested = idps.filter((idp) => idp.testedAt !== undefined);
  const csrf = csrfField(ctx.csrf);
  const action = escapeHtml(urlFor('console-settings-save'));
  const version = `<input type="hidden" name="version" value="${ctx.account.version}">`;
  const radios = (name: string, current: string, options: readonly (readonly [string, string, string])[]) =>
    options
      .map(
        ([value, label, help]) =>
          `<p><label class="choice"><input type="radio" name="${name}" value="${value}"${value === current ? ' checked' : ''}> <strong>${label}</strong></label>` +
          `<span class="muted">${escapeHtml(help)}</span></p>`,
      )
      .join('');
  const idpsLink = `<a id="idps-link" href="${escapeHtml(pathFor('console-idps'))}">Identity providers</a>`;
  const guard = state.lockoutGuard
    ? `<div class="error" role="alert" id="lockout-guard"><strong>SSO was not enforced.</strong> Enforcing single sign-on stops every other way in, so it is allowed only once one of the account’s identity providers has completed a successful test sign-in — otherwise a misconfigured IdP would lock everyone, you included, out of the account. Open ${idpsLink}, choose one and click “Test sign-in”, then come back.</div>`
    : '';
  const testedNote =
    tested.length > 0
      ? `<p class="muted">Tested identity providers: ${tested.map((idp) => escapeHtml(idp.description)).join(', ')}.</p>`
      : `<p class="muted">No identity provider has completed a test sign-in yet, so SSO cannot be enforced. See ${idpsLink}.</p>`;
  const body = `<h1>Enforcement &amp; provisioning</h1>${messages(state)}${guard}
<section class="card"><h2>Single sign-on enforcement</h2>
<form method="post" action="${action}">${csrf}${version}
${radios('enforcement', ctx.account.enforcement, ENFORCEMENT)}${testedNote}
<button type="submit" id="save-enforcement">Save enforcement</button></form></section>
<section class="card"><h2>Provisioning</h2>
<form method="post" action="${action}">${csrf}${version}
${radios('provisioning', ctx.account.provisioning, PROVISIONING)}
<button type="submit" id="save-provisioning">Save provisioning</button></form></section>`;
  return {
    status: state.status ?? 200,
    html: consolePage({
      title: 'Enforcement & provisioning',
      section: 'settings',
      who: { email: ctx.user.email, accountName: ctx.account.name },
      body,
    }),
  };
}
