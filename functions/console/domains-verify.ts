// POST /console/domains/{domain}/verify: looks up the TXT record exactly as POST /api/v1/domains/{domain}/verify does
// (verifyDomain: `domain.verified`, or `domain.verificationFailed` with its reason, shown on the page).
import { domainsPage } from '../../shared/console/domains-page.ts';
import { consoleRoute, redirect } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';
import { HttpError } from '../../shared/http/errors.ts';
import { pathFor } from '../../shared/http/url.ts';
import { verifyDomain } from '../../shared/sso/idp-admin.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  try {
    await verifyDomain(database, ctx.account.id, ctx.request.pathParameters.domain ?? '', ctx.audit);
  } catch (error) {
    if (error instanceof HttpError) {
      const status = error.status === 503 ? 503 : error.status < 500 ? error.status : 0;
      if (status) return domainsPage(database, ctx, { status, error: error.detail.replace(' (POST /api/v1/domains)', '') });
    }
    throw error;
  }
  return redirect(`${pathFor('console-domains')}?notice=verified`);
});
