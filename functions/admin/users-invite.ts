// POST /api/v1/users {email, role}: an invited user, who may sign in (by SSO) in every provisioning mode.
import * as v from 'valibot';
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { createUser } from '../../shared/db/users.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith, text } from '../../shared/http/validate.ts';

const database = db();
const Body = v.strictObject({
  email: v.pipe(v.string(), v.trim(), v.email('must be an email address'), v.maxLength(254)),
  role: v.optional(v.picklist(['admin', 'member']), 'member'),
  displayName: v.optional(text(200)),
});

export const handler = route('admin', async (request) => {
  const body = parseWith(Body, request.body);
  const user = await createUser(
    database,
    principal(request).accountId,
    { email: body.email, role: body.role, displayName: body.displayName, source: 'invite' },
    actedBy(request, 'user.invited'),
  );
  return { status: 201, body: user };
});
