// POST /api/v1/api-keys {description, ownerId?, scopes, expiresAt?}: the token is in this response and nowhere else.
import * as v from 'valibot';
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { DEFAULT_API_KEY_LIFETIME_DAYS } from '../../shared/config.ts';
import { SCOPES, createApiKey } from '../../shared/db/api-keys.ts';
import { db } from '../../shared/db/client.ts';
import { listIdps } from '../../shared/db/idps.ts';
import { BadRequest, Conflict } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith, text } from '../../shared/http/validate.ts';

const database = db();
const MAX_LIFETIME_DAYS = 2 * 365;

const Body = v.strictObject({
  description: text(200),
  ownerId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(80))),
  scopes: v.pipe(v.array(v.picklist(SCOPES)), v.minLength(1, 'give at least one scope'), v.maxLength(SCOPES.length)),
  expiresAt: v.optional(v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 time with offset'))),
});

export const handler = route('admin', async (request) => {
  const body = parseWith(Body, request.body);
  const caller = principal(request);
  const now = Date.now();
  const expiresAt = body.expiresAt ? new Date(body.expiresAt) : new Date(now + DEFAULT_API_KEY_LIFETIME_DAYS * 86_400_000);
  if (expiresAt.getTime() <= now) throw new BadRequest('expiresAt must be in the future');
  if (expiresAt.getTime() > now + MAX_LIFETIME_DAYS * 86_400_000) throw new BadRequest('expiresAt may be at most two years away');
  const scopes = [...new Set(body.scopes)];
  // SPEC: SCIM is enabled by minting a scim key, and only once the account has an IdP (provisioning without a way to
  // sign in would only create users who cannot log in).
  if (scopes.includes('scim') && (await listIdps(database, caller.accountId)).length === 0) {
    throw new Conflict(
      'This account has no identity provider yet. Add one (POST /api/v1/idps) before creating a key with the scim scope.',
      'idp_required',
    );
  }
  const { key, token } = await createApiKey(
    database,
    caller.accountId,
    { description: body.description, ownerId: body.ownerId ?? caller.ownerId, scopes, expiresAt },
    actedBy(request, 'apiKey.created'),
  );
  return { status: 201, body: { ...key, token } };
});
