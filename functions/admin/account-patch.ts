// PATCH /api/v1/account {enforcement?, provisioning?}: SSO enforcement is refused until one of the account's IdPs has
// completed a test login, so no one locks the account out; that IdP must still be there when the change is written.
// The rules are in changeAccountSettings (shared/sso/idp-admin.ts), which the console uses too.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';
import { AccountSettingsBody, changeAccountSettings } from '../../shared/sso/idp-admin.ts';
import { ifMatchVersion } from '../../shared/sso/idp-input.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const body = parseWith(AccountSettingsBody, request.body);
  const expected = ifMatchVersion(request.headers['if-match']);
  const account = await changeAccountSettings(
    database,
    principal(request).accountId,
    body,
    actedBy(request, 'account.settings.updated'),
    expected,
  );
  return { status: 200, body: account, headers: { ETag: `W/"${account.version}"` } };
});
