// PUT /api/v1/account/ip-allowlist {cidrs}: replaces the list; an empty list lifts the restriction.
import * as v from 'valibot';
import { MAX_ALLOWLIST_ENTRIES, ipAllowed, parseCidr } from '../../shared/auth/ip-allowlist.ts';
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { updateAccountSettings } from '../../shared/db/accounts.ts';
import { db } from '../../shared/db/client.ts';
import { BadRequest } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';

const database = db();
const Body = v.strictObject({ cidrs: v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(MAX_ALLOWLIST_ENTRIES)) });

export const handler = route('admin', async (request) => {
  const { cidrs } = parseWith(Body, request.body);
  const problems = cidrs.map(parseCidr).filter((c): c is string => typeof c === 'string');
  if (problems.length > 0) throw new BadRequest(problems.join('; '), 'invalid_cidr');
  const normalised = [...new Set(cidrs.map((c) => c.trim()))];
  const account = await updateAccountSettings(
    database,
    principal(request).accountId,
    { ipAllowlist: normalised },
    actedBy(request, 'account.ipAllowlist.updated'),
  );
  // Tell the caller when the list they just saved would refuse their own next request.
  return { status: 200, body: { cidrs: account.ipAllowlist, callerAllowed: ipAllowed(account.ipAllowlist, request.sourceIp) } };
});
