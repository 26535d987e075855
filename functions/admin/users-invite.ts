// POST /api/v1/users {email, role}: an invited user, who may sign in (by SSO) in every provisioning mode.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { createUser } from '../../shared/db/users.ts';
import { route } from '../../shared/http/handler.ts';
import { InviteUserBody } from '../../shared/http/user-schemas.ts';
import { parseWith } from '../../shared/http/validate.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const body = parseWith(InviteUserBody, request.body);
  const user = await createUser(
    database,
    principal(request).accountId,
    { email: body.email, role: body.role, displayName: body.displayName, source: 'invite' },
    actedBy(request, 'user.invited'),
  );
  return { status: 201, body: user };
});
