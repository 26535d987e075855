// GET /me: who the session cookie belongs to → {userId, email, accountId, role}; no live session → 401 JSON.
import { sessionCookieValue, validateSession } from '../../shared/auth/sessions.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const current = await validateSession(database, sessionCookieValue(request.headers.cookie));
  if (!current) return { status: 401, body: { status: 401, error: 'unauthenticated', detail: 'Not signed in' } };
  const { user } = current;
  return { status: 200, body: { userId: user.id, email: user.email, accountId: user.accountId, role: user.role } };
});
