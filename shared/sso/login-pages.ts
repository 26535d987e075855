// The sign-in pages: the email form, and what discovery found for that email (IdP buttons by description, and in
// mixed mode a password form for a user who has a password). Every dynamic value is escaped.
import type { Idp } from '../db/idps.ts';
import type { ApiResponse } from '../http/handler.ts';
import { escapeHtml as e } from '../http/pages.ts';
import { pathFor } from '../http/url.ts';
import { absolute, htmlPage } from './browser.ts';
import { loginPath } from './idp-view.ts';

const TITLE = 'Sign in';

const message = (text: string | undefined): string => (text ? `<p class="message" role="alert">${e(text)}</p>` : '');
const returnToField = (returnTo: string | undefined): string =>
  returnTo ? `<input type="hidden" name="returnTo" value="${e(returnTo)}">` : '';

export function emailFormPage(options: { email?: string; returnTo?: string; message?: string; status?: number }): ApiResponse {
  return htmlPage(
    options.status ?? 200,
    TITLE,
    `<h1>${TITLE}</h1>${message(options.message)}
<form method="get" action="${e(absolute(pathFor('login-page')))}">
<label for="email">Work email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${e(options.email ?? '')}">
${returnToField(options.returnTo)}<button type="submit">Continue</button>
</form>`,
  );
}

export function passwordForm(email: string, returnTo: string | undefined): string {
  return `<form method="post" action="${e(absolute(pathFor('login-password')))}">
<input type="hidden" name="email" value="${e(email)}">${returnToField(returnTo)}
<label for="password">Password for ${e(email)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in with password</button>
</form>`;
}

export function chooserPage(options: {
  email: string;
  returnTo?: string;
  idps: Idp[];
  password: boolean;
  message?: string;
  status?: number;
}): ApiResponse {
  const { email, returnTo, idps } = options;
  const intro = idps.length > 1 ? '<p>Choose how to sign in:</p>' : '';
  const buttons = idps
    .map((idp) => `<a class="idp" href="${e(absolute(loginPath(idp, { returnTo })))}">Continue with ${e(idp.description)}</a>`)
    .join('\n');
  const password = options.password ? `${idps.length > 0 ? '<p>or</p>' : ''}${passwordForm(email, returnTo)}` : '';
  const other = `<p><a href="${e(absolute(pathFor('login-page')))}">Use another email address</a></p>`;
  return htmlPage(
    options.status ?? 200,
    TITLE,
    `<h1>${TITLE}</h1>${message(options.message)}<p>Signing in as <strong>${e(email)}</strong></p>${intro}${buttons}${password}${other}`,
  );
}

/** A refusal a person understands, with the way back. */
export function refusalPage(status: number, text: string, email?: string): ApiResponse {
  const back = absolute(`${pathFor('login-page')}${email ? `?email=${encodeURIComponent(email)}` : ''}`);
  return htmlPage(status, 'We could not sign you in', `<h1>We could not sign you in</h1>${message(text)}<p><a href="${e(back)}">Back to sign-in</a></p>`);
}
