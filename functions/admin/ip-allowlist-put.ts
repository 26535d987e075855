// PUT /api/v1/account/ip-allowlist {cidrs}: replaces the list; an empty list lifts the restriction.
import * as v from 'valibot';
import { MAX_ALLOWLIST_ENTRIES, checkAllowlist, ipAllowed } from '../../shared/auth/ip-allowlist.ts';
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
  const checked = checkAllowlist(cidrs);
  if (!checked.ok) throw new BadRequest(checked.problems.join('; '), 'invalid_cidr');
  const account = await updateAccountSettings(
    database,
    principal(request).accountId,
    { ipAllowlist: checked.cidrs },
    actedBy(request, 'account.ipAllowlist.updated'),
  );
  // Tell the caller when the list they just saved would refuse their own next request.
  return { status: 200, body: { cidrs: account.ipAllowlist, callerAllowed: ipAllowed(account.ipAllowlist, request.sourceIp) } };
});
