// POST /logout: ends the session (its item is deleted, the cookie cleared) and goes back to the sign-in page.
// Same-origin forms only, so another site cannot sign people out.
import { clearedSessionCookie, deleteSession, sessionCookieValue, validateSession } from '../../shared/auth/sessions.ts';
import { recordAudit } from '../../shared/db/audit.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { pathFor } from '../../shared/http/url.ts';
import { absolute, requireSameOrigin } from '../../shared/sso/browser.ts';

const database = db();

export const handler = route('browser', async (request) => {
  requireSameOrigin(request.headers);
  const cookie = sessionCookieValue(request.headers.cookie);
  const current = await validateSession(database, cookie);
  await deleteSession(database, cookie);
  if (current) {
    await recordAudit(database, {
      accountId: current.user.accountId,
      action: 'logout',
      actor: { type: 'user', id: current.user.id },
      target: { type: 'user', id: current.user.id },
      outcome: 'success',
      sourceIp: request.sourceIp,
    });
  }
  return {
    status: 303,
    headers: { Location: absolute(pathFor('login-page')) },
    multiHeaders: { 'Set-Cookie': [clearedSessionCookie()] },
  };
});
