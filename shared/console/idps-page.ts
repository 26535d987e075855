// The Identity providers pages: the list (description, type, tested state) with the forms to add a SAML IdP (metadata
// URL, pasted or uploaded metadata XML, or entity ID + SSO URL + certificate) or an OIDC IdP (issuer, client ID,
// secret — never rendered back), and one IdP's page: what to paste into the IdP with copy buttons, "Test sign-in", the
// IdP-initiated toggle (SAML) and delete.
import type { Db } from '../db/client.ts';
import { listIdps, type Idp } from '../db/idps.ts';
import type { ApiResponse } from '../http/handler.ts';
import { pathFor, urlFor } from '../http/url.ts';
import { idpView, testLoginUrl } from '../sso/idp-view.ts';
import { consolePage, csrfField, escapeHtml, formatTime, messages } from './layout.ts';
import type { ConsoleContext } from './route.ts';

export const IDP_NOTICES: Record<string, string> = {
  created: 'The identity provider was added. Paste the values below into it, then run "Test sign-in".',
  tested: 'Test sign-in succeeded: this identity provider is marked tested.',
  updated: 'The identity provider was updated.',
  deleted: 'The identity provider was deleted.',
};

/** The SAML form's ways to describe the IdP (one is used). */
export const SAML_SOURCES = ['metadataUrl', 'metadataXml', 'manual'] as const;
export type SamlSource = (typeof SAML_SOURCES)[number];

export interface IdpsPageState {
  status?: number;
  notice?: string;
  error?: string;
  /** The add form as typed (without the OIDC client secret), kept on an error. */
  draft?: Record<string, string>;
}

const typeLabel = (idp: Pick<Idp, 'type'>) => (idp.type === 'saml' ? 'SAML 2.0' : 'OpenID Connect');

export const testedBadge = (idp: Pick<Idp, 'testedAt'>) =>
  idp.testedAt
    ? `<span class="badge ok" title="${escapeHtml(idp.testedAt)}">tested ${escapeHtml(formatTime(idp.testedAt))}</span>`
    : '<span class="badge off">not tested</span>';

const who = (ctx: ConsoleContext) => ({ email: ctx.user.email, accountName: ctx.account.name });

export async function idpsPage(db: Db, ctx: ConsoleContext, state: IdpsPageState = {}): Promise<ApiResponse> {
  const idps = await listIdps(db, ctx.account.id);
  const draft = state.draft ?? {};
  const value = (name: string) => escapeHtml(draft[name] ?? '');
  const source: SamlSource = SAML_SOURCES.includes(draft.source as SamlSource) ? (draft.source as SamlSource) : 'metadataUrl';
  const checked = (s: SamlSource) => (s === source ? ' checked' : '');
  const rows = idps
    .map(
      (idp) =>
        `<tr data-idp="${escapeHtml(idp.id)}"><td><a href="${escapeHtml(pathFor('console-idp', { id: idp.id }))}">${escapeHtml(idp.description)}</a></td>` +
        `<td>${typeLabel(idp)}</td><td class="muted">${escapeHtml(idp.type === 'saml' ? idp.entityId : idp.issuer)}</td>` +
        `<td>${testedBadge(idp)}</td><td>${formatTime(idp.createdAt)}</td></tr>`,
    )
    .join('');
  const csrf = csrfField(ctx.csrf);
  const action = escapeHtml(urlFor('console-idps-create'));
  const body = `<h1>Identity providers</h1>${messages(state)}
<table><thead><tr><th>Description</th><th>Type</th><th>Issuer / entity ID</th><th>Test sign-in</th><th>Added</th></tr></thead>
<tbody>${rows || '<tr><td colspan="5" class="muted">No identity provider yet. Add one below.</td></tr>'}</tbody></table>
<p class="muted">Enforcing single sign-on needs an identity provider with a successful test sign-in (open it and click "Test sign-in").</p>
<section class="card" id="add-saml"><h2>Add a SAML identity provider</h2>
<form method="post" action="${action}">${csrf}<input type="hidden" name="type" value="saml">
<label for="saml-description">Description</label><input id="saml-description" name="description" type="text" required maxlength="200" value="${draft.type === 'saml' ? value('description') : ''}">
<fieldset><legend>How to read the IdP's settings</legend>
<label class="choice"><input type="radio" name="source" value="metadataUrl"${checked('metadataUrl')}> Metadata URL</label>
<label class="choice"><input type="radio" name="source" value="metadataXml"${checked('metadataXml')}> Metadata XML (paste or upload)</label>
<label class="choice"><input type="radio" name="source" value="manual"${checked('manual')}> Enter by hand</label>
<label for="metadataUrl">Metadata URL</label><input id="metadataUrl" name="metadataUrl" type="url" maxlength="2048" placeholder="https://idp.example.com/app/metadata" value="${value('metadataUrl')}">
<label for="metadataXml">Metadata XML</label><textarea id="metadataXml" name="metadataXml" spellcheck="false" placeholder="&lt;EntityDescriptor …&gt;">${value('metadataXml')}</textarea>
<label for="metadataFile">…or upload the metadata file</label><input id="metadataFile" type="file" accept=".xml,text/xml,application/xml,application/samlmetadata+xml" data-file-into="metadataXml">
<label for="entityId">IdP entity ID</label><input id="entityId" name="entityId" type="text" maxlength="1024" value="${value('entityId')}">
<label for="ssoUrl">IdP SSO URL (HTTP-Redirect)</label><input id="ssoUrl" name="ssoUrl" type="url" maxlength="2048" value="${value('ssoUrl')}">
<label for="certificate">IdP signing certificate (PEM or base64)</label><textarea id="certificate" name="certificate" spellcheck="false">${value('certificate')}</textarea>
</fieldset>
<label class="choice"><input type="checkbox" name="allowIdpInitiated" value="on"${draft.allowIdpInitiated === 'on' ? ' checked' : ''}> Allow IdP-initiated sign-in (from the IdP's app dashboard)</label>
<div class="actions"><button type="submit" id="add-saml-idp">Add SAML IdP</button></div></form></section>
<section class="card" id="add-oidc"><h2>Add an OpenID Connect identity provider</h2>
<form method="post" action="${action}">${csrf}<input type="hidden" name="type" value="oidc">
<label for="oidc-description">Description</label><input id="oidc-description" name="description" type="text" required maxlength="200" value="${draft.type === 'oidc' ? value('description') : ''}">
<label for="issuer">Issuer URL</label><input id="issuer" name="issuer" type="url" required maxlength="2048" placeholder="https://login.example.com" value="${value('issuer')}">
<label for="clientId">Client ID</label><input id="clientId" name="clientId" type="text" required maxlength="255" value="${value('clientId')}">
<label for="clientSecret">Client secret</label><input id="clientSecret" name="clientSecret" type="password" required maxlength="1024" autocomplete="off">
<p class="muted">The secret is stored encrypted and never shown again. The redirect URI to register at the IdP is shown once the IdP is added.</p>
<div class="actions"><button type="submit" id="add-oidc-idp">Add OIDC IdP</button></div></form></section>`;
  return {
    status: state.status ?? 200,
    html: consolePage({ title: 'Identity providers', section: 'idps', who: who(ctx), body }),
  };
}

export interface IdpPageState {
  status?: number;
  notice?: string;
  error?: string;
}

function copyable(id: string, label: string, value: string): string {
  return `<dt>${escapeHtml(label)}</dt><dd><span class="secret" id="${id}">${escapeHtml(value)}</span> <button type="button" class="secondary" data-copy="${id}">Copy</button></dd>`;
}

export function idpPage(ctx: ConsoleContext, idp: Idp, state: IdpPageState = {}): ApiResponse {
  const view = idpView(idp);
  const csrf = csrfField(ctx.csrf);
  const returnTo = `${pathFor('console-idp', { id: idp.id })}?notice=tested`;
  let paste: string;
  let settings: string;
  if ('sp' in view) {
    paste = `<dl class="fields">${copyable('sp-entity-id', 'SP entity ID (Audience)', view.sp.entityId)}${copyable('sp-acs-url', 'ACS URL (Single sign-on URL)', view.sp.acsUrl)}${copyable('sp-metadata-url', 'SP metadata URL', view.sp.metadataUrl)}</dl>`;
    const certs = view.certificates
      .map((c) => `<li><code>${escapeHtml(c.fingerprintSha256)}</code>${'notAfter' in c && c.notAfter ? ` — expires ${formatTime(c.notAfter)}` : ''}</li>`)
      .join('');
    settings = `<dl class="fields"><dt>IdP entity ID</dt><dd>${escapeHtml(view.entityId)}</dd><dt>SSO URL</dt><dd>${escapeHtml(view.ssoUrl)}</dd>
${view.metadataUrl ? `<dt>Metadata URL</dt><dd>${escapeHtml(view.metadataUrl)}</dd>` : ''}<dt>Signing certificates (SHA-256)</dt><dd><ul>${certs}</ul></dd></dl>
<form method="post" action="${escapeHtml(urlFor('console-idp-initiated', { id: idp.id }))}">${csrf}
<input type="hidden" name="version" value="${idp.version}"><input type="hidden" name="allow" value="${view.allowIdpInitiated ? 'false' : 'true'}">
<p>IdP-initiated sign-in: <span id="idp-initiated-state" class="badge ${view.allowIdpInitiated ? 'ok' : 'off'}">${view.allowIdpInitiated ? 'allowed' : 'refused'}</span>
<button type="submit" id="toggle-idp-initiated" class="secondary">${view.allowIdpInitiated ? 'Refuse IdP-initiated sign-in' : 'Allow IdP-initiated sign-in'}</button></p>
<p class="muted">When allowed, people can start from the IdP's app dashboard (an unsolicited SAML response). SP-initiated sign-in always works.</p></form>`;
  } else {
    paste = `<dl class="fields">${copyable('oidc-redirect-uri', 'Redirect URI (sign-in redirect)', view.redirectUri)}</dl>`;
    settings = `<dl class="fields"><dt>Issuer</dt><dd>${escapeHtml(view.issuer)}</dd><dt>Client ID</dt><dd>${escapeHtml(view.clientId)}</dd>
<dt>Client secret</dt><dd class="muted">set (stored encrypted, never shown)</dd></dl>
<p class="muted">IdP-initiated sign-in does not apply to OpenID Connect: sign-ins always start at our login page.</p>`;
  }
  const body = `<p><a href="${escapeHtml(pathFor('console-idps'))}">← Identity providers</a></p>
<h1>${escapeHtml(idp.description)} <span class="badge">${typeLabel(idp)}</span></h1>${messages(state)}
<section class="card"><h2>Paste into your identity provider</h2>${paste}</section>
<section class="card"><h2>Test sign-in</h2>
<p>State: <span id="tested-state">${testedBadge(idp)}</span></p>
<p>Sign in through this identity provider as yourself (<strong>${escapeHtml(ctx.user.email)}</strong>). When it succeeds the IdP is marked tested — which enforcing single sign-on requires — and you come back to this page.</p>
<div class="actions"><a class="button" id="test-sign-in" href="${escapeHtml(testLoginUrl(idp, returnTo))}">Test sign-in</a></div></section>
<section class="card"><h2>Settings</h2>${settings}</section>
<section class="card"><h2>Delete</h2>
<form method="post" action="${escapeHtml(urlFor('console-idp-delete', { id: idp.id }))}" data-confirm="Delete this identity provider? People can no longer sign in through it.">${csrf}
<p class="muted">Refused while SSO is enforced and this is the last tested IdP, or while SCIM keys are live and this is the last IdP.</p>
<button type="submit" id="delete-idp" class="danger">Delete identity provider</button></form></section>`;
  return {
    status: state.status ?? 200,
    html: consolePage({ title: idp.description, section: 'idps', who: who(ctx), body }),
  };
}
