// POST /api/v1/domains/{domain}/verify: looks up the TXT record and, when it is there, verifies and claims the domain.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { recordAudit } from '../../shared/db/audit.ts';
import { db } from '../../shared/db/client.ts';
import { getDomain, markDomainVerified } from '../../shared/db/domains.ts';
import { BadRequest, HttpError, NotFound, ServiceUnavailable } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { checkDomainName } from '../../shared/sso/domain-name.ts';
import { lookupTxtChallenge } from '../../shared/sso/dns-txt.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const checked = checkDomainName(request.pathParameters.domain ?? '');
  if ('problem' in checked) throw new BadRequest(checked.problem, 'invalid_domain');
  const { accountId } = principal(request);
  const domain = await getDomain(database, accountId, checked.domain);
  if (!domain) throw new NotFound(`Add the domain ${checked.domain} (POST /api/v1/domains) before verifying it`);
  if (domain.verified) return { status: 200, body: domain };

  const lookup = await lookupTxtChallenge(domain.txtName, domain.txtValue);
  if (!lookup.found) {
    await recordAudit(database, {
      ...actedBy(request, 'domain.verificationFailed'),
      outcome: 'failure',
      reason: lookup.reason,
      target: { type: 'domain', id: domain.domain },
    });
    if (lookup.reason === 'dns_unavailable') {
      throw new ServiceUnavailable(`DNS did not answer for ${domain.txtName}; retry in a minute`, 30);
    }
    const what =
      lookup.reason === 'no_record'
        ? `No TXT record was found at ${domain.txtName}`
        : `The TXT record at ${domain.txtName} does not contain the expected value`;
    throw new HttpError(
      422,
      'txt_record_not_found',
      `${what}. Publish a TXT record named ${domain.txtName} with the value ${domain.txtValue} and retry; DNS changes can take some minutes to appear.`,
    );
  }
  const verified = await markDomainVerified(database, accountId, domain.domain, actedBy(request, 'domain.verified'));
  return { status: 200, body: verified };
});
