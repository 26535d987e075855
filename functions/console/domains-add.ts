// POST /console/domains (form: domain): adds a domain exactly as POST /api/v1/domains does (addAccountDomain,
// `domain.added`); the page then shows its TXT record.
import { DOMAIN_NOTICES, domainsPage } from '../../shared/console/domains-page.ts';
import { consoleRoute, redirect } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';
import { HttpError } from '../../shared/http/errors.ts';
import { pathFor } from '../../shared/http/url.ts';
import { addAccountDomain } from '../../shared/sso/idp-admin.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  const draft = ctx.form.domain ?? '';
  if (draft.length > 300) return domainsPage(database, ctx, { status: 400, error: 'The domain is too long.', draft: draft.slice(0, 300) });
  try {
    const { created } = await addAccountDomain(database, ctx.account.id, draft, ctx.audit('domain.added'));
    if (!created) return domainsPage(database, ctx, { notice: `${DOMAIN_NOTICES.added} (It had been added before.)` });
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) return domainsPage(database, ctx, { status: error.status, error: error.detail, draft });
    throw error;
  }
  return redirect(`${pathFor('console-domains')}?notice=added`);
});
