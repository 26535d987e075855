// POST /login/password (form: email, password, returnTo): password sign-in for users who had a password before SSO, in
// mixed mode only. Same answer and same work for an unknown user and a wrong password; same-origin forms only.
import * as v from 'valibot';
import { recordAudit, type AuditEvent } from '../../shared/db/audit.ts';
import { createSession, sessionCookie } from '../../shared/auth/sessions.ts';
import { DEFAULT_AFTER_LOGIN } from '../../shared/auth/complete-login.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { safeRelativePath } from '../../shared/http/redirect.ts';
import { parseWith } from '../../shared/http/validate.ts';
import { requireSameOrigin } from '../../shared/sso/browser.ts';
import { discoverLogin } from '../../shared/sso/login-discovery.ts';
import { chooserPage, emailFormPage, refusalPage } from '../../shared/sso/login-pages.ts';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../../shared/sso/password.ts';

const database = db();
const Form = v.object({
  email: v.pipe(v.string(), v.trim(), v.minLength(1, 'enter your email address'), v.maxLength(320)),
  password: v.pipe(v.string(), v.minLength(1, 'enter your password'), v.maxLength(MAX_PASSWORD_LENGTH)),
  returnTo: v.optional(v.string()),
});
const WRONG = 'The email address or password is not correct.';

export const handler = route('browser', async (request) => {
  requireSameOrigin(request.headers);
  const form = parseWith(Form, request.body);
  const returnTo = safeRelativePath(form.returnTo);
  const options = await discoverLogin(database, form.email);
  const user = options?.user;
  // Always one argon2 verification, so the time taken does not say whether the user or a password exists.
  const passwordMatches = await verifyPassword(user?.passwordHash, form.password);

  if (!options) return emailFormPage({ email: form.email, returnTo, message: WRONG, status: 401 });
  const accountId = options.account.id;
  const audit = (action: string, outcome: AuditEvent['outcome'], reason?: string): AuditEvent => ({
    accountId,
    action,
    actor: { type: 'user', id: user?.id ?? 'unknown' },
    outcome,
    ...(reason ? { reason } : {}),
    sourceIp: request.sourceIp,
    details: { method: 'password', email: form.email },
  });
  const refuse = async (reason: string, response: ReturnType<typeof refusalPage>) => {
    await recordAudit(database, audit('login.failed', 'failure', reason));
    return response;
  };

  if (options.account.enforcement === 'enforced') {
    return refuse(
      'sso_enforced',
      refusalPage(403, 'Your organisation requires single sign-on. Sign in with your identity provider instead.', form.email),
    );
  }
  if (!user || user.passwordHash === undefined || !passwordMatches) {
    const reason = !user ? 'unknown_user' : user.passwordHash === undefined ? 'no_password' : 'wrong_password';
    const page =
      options.idps.length > 0
        ? chooserPage({ email: form.email, returnTo, idps: options.idps, password: options.password, message: WRONG, status: 401 })
        : emailFormPage({ email: form.email, returnTo, message: WRONG, status: 401 });
    return refuse(reason, page);
  }
  if (!user.active) return refuse('user_disabled', refusalPage(403, 'Your account is disabled — ask your administrator.'));

  const cookie = await createSession(
    database,
    { accountId, userId: user.id, method: 'password', sourceIp: request.sourceIp },
    audit('login.succeeded', 'success'),
  );
  return {
    status: 303,
    headers: { Location: returnTo ?? DEFAULT_AFTER_LOGIN },
    multiHeaders: { 'Set-Cookie': [sessionCookie(cookie)] },
  };
});
