// POST /console/scim: "Enable SCIM" — mints a `scim` key (owned by its own service user) and shows it once, with the SCIM
// base URL and the Okta / Entra field names. Refused until the account has an identity provider (SPEC: SCIM needs an IdP).
// Answers with the page itself, not a redirect, because the token must not travel in a URL or be stored to survive one.
import { apiKeysPage } from '../../shared/console/api-keys-page.ts';
import { consoleRoute } from '../../shared/console/route.ts';
import { createScimKey } from '../../shared/console/scim.ts';
import { db } from '../../shared/db/client.ts';
import { listIdps } from '../../shared/db/idps.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  if ((await listIdps(database, ctx.account.id)).length === 0) {
    return apiKeysPage(database, ctx, { status: 409, error: 'Add an identity provider before enabling SCIM.' });
  }
  const { key, token } = await createScimKey(database, ctx.account.id, ctx.audit('apiKey.created'));
  return apiKeysPage(database, ctx, { created: { token, keyId: key.id } });
});
