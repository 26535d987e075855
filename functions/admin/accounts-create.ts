// POST /api/v1/accounts (operator key): a new account and its first admin key, shown once.
import * as v from 'valibot';
import { requireOperator } from '../../shared/auth/operator.ts';
import { DEFAULT_API_KEY_LIFETIME_DAYS } from '../../shared/config.ts';
import { createAccount } from '../../shared/db/accounts.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith, text } from '../../shared/http/validate.ts';

const database = db();
const Body = v.strictObject({ name: text(200) });

export const handler = route('admin', async (request) => {
  await requireOperator(request.headers.authorization);
  const { name } = parseWith(Body, request.body);
  const { account, adminKey, keyId } = await createAccount(database, {
    name,
    keyLifetimeDays: DEFAULT_API_KEY_LIFETIME_DAYS,
    sourceIp: request.sourceIp,
  });
  return { status: 201, body: { ...account, adminKey, adminKeyId: keyId } };
});
