// POST /api/v1/service-users {name}: a non-human owner for API keys, never deprovisioned with a person.
import * as v from 'valibot';
import { principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { createServiceUser } from '../../shared/db/users.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith, text } from '../../shared/http/validate.ts';

const database = db();
const Body = v.strictObject({ name: text(200) });

export const handler = route('admin', async (request) => {
  const { name } = parseWith(Body, request.body);
  const item = await createServiceUser(database, principal(request).accountId, name);
  return { status: 201, body: { id: item.id, name: item.name, active: item.active, createdAt: item.createdAt } };
});
