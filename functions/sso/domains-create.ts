// POST /api/v1/domains {domain}: registers a domain and answers the TXT record to publish (addAccountDomain in
// shared/sso/idp-admin.ts, which the console uses too).
import * as v from 'valibot';
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';
import { addAccountDomain } from '../../shared/sso/idp-admin.ts';

const database = db();
const Body = v.strictObject({ domain: v.pipe(v.string(), v.maxLength(300)) });

export const handler = route('admin', async (request) => {
  const { domain, created } = await addAccountDomain(
    database,
    principal(request).accountId,
    parseWith(Body, request.body).domain,
    actedBy(request, 'domain.added'),
  );
  return { status: created ? 201 : 200, body: domain };
});
