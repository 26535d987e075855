// POST /api/v1/domains {domain}: registers a domain and answers the TXT record to publish.
import * as v from 'valibot';
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { registerDomain } from '../../shared/db/domains.ts';
import { BadRequest } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';
import { checkDomainName } from '../../shared/sso/domain-name.ts';

const database = db();
const Body = v.strictObject({ domain: v.pipe(v.string(), v.maxLength(300)) });

export const handler = route('admin', async (request) => {
  const checked = checkDomainName(parseWith(Body, request.body).domain);
  if ('problem' in checked) throw new BadRequest(checked.problem, 'invalid_domain');
  const { domain, created } = await registerDomain(
    database,
    principal(request).accountId,
    checked.domain,
    actedBy(request, 'domain.added'),
  );
  return { status: created ? 201 : 200, body: domain };
});
