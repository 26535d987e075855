// POST /console/settings (form: enforcement and/or provisioning, version): changes them exactly as PATCH /api/v1/account
// does (AccountSettingsBody, changeAccountSettings, `account.settings.updated`), conditional on the version the page
// showed. A refused enforcement (no tested IdP) explains the lock-out guard.
import { checkForm } from '../../shared/console/form.ts';
import { consoleRoute, redirect } from '../../shared/console/route.ts';
import { settingsPage } from '../../shared/console/settings-page.ts';
import { requireAccount } from '../../shared/db/accounts.ts';
import { db } from '../../shared/db/client.ts';
import { HttpError, PreconditionFailed } from '../../shared/http/errors.ts';
import { pathFor } from '../../shared/http/url.ts';
import { AccountSettingsBody, IDP_NOT_TESTED, changeAccountSettings } from '../../shared/sso/idp-admin.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  const { version: versionField, ...fields } = ctx.form;
  const checked = checkForm(AccountSettingsBody, fields);
  if (!checked.ok) return settingsPage(database, ctx, { status: 400, error: checked.error });
  const version = Number(versionField);
  try {
    await changeAccountSettings(
      database,
      ctx.account.id,
      checked.value,
      ctx.audit('account.settings.updated'),
      Number.isInteger(version) ? version : -1,
    );
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    if (error.code === IDP_NOT_TESTED) return settingsPage(database, ctx, { status: 409, lockoutGuard: true });
    const current = { ...ctx, account: await requireAccount(database, ctx.account.id) };
    const message =
      error instanceof PreconditionFailed
        ? 'Someone changed the account settings since you opened this page. Nothing was saved; check and save again.'
        : error.detail;
    return settingsPage(database, current, { status: error instanceof PreconditionFailed ? 409 : error.status, error: message });
  }
  return redirect(`${pathFor('console-settings')}?notice=saved`);
});
