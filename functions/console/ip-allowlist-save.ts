// POST /console/ip-allowlist (form: cidrs, version, confirm?): validates like PUT /api/v1/account/ip-allowlist and writes
// the same audit event. Nothing is saved when an entry is invalid, when the list would lock out the admin's current
// address and they have not confirmed, or when the account changed since the page was read (optimistic version).
import { MAX_ALLOWLIST_ENTRIES, checkAllowlist, ipAllowed } from '../../shared/auth/ip-allowlist.ts';
import { CONFIRM_LOCKOUT, allowlistLines, allowlistPage } from '../../shared/console/ip-allowlist-page.ts';
import { consoleRoute, redirect } from '../../shared/console/route.ts';
import { requireAccount, updateAccountSettings } from '../../shared/db/accounts.ts';
import { db } from '../../shared/db/client.ts';
import { PreconditionFailed } from '../../shared/http/errors.ts';
import { urlFor } from '../../shared/http/url.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  const draft = ctx.form.cidrs ?? '';
  const lines = allowlistLines(draft);
  if (lines.length > MAX_ALLOWLIST_ENTRIES) {
    return allowlistPage(ctx, { status: 400, draft, error: `At most ${MAX_ALLOWLIST_ENTRIES} entries; this list has ${lines.length}.` });
  }
  const tooLong = lines.find((line) => line.length > 64);
  const checked = checkAllowlist(lines);
  if (tooLong || !checked.ok) {
    const problems = tooLong ? [`"${tooLong.slice(0, 64)}…" is too long`] : checked.ok ? [] : checked.problems;
    return allowlistPage(ctx, { status: 400, draft, error: `Nothing was saved. ${problems.join('; ')}.` });
  }
  if (!ipAllowed(checked.cidrs, ctx.request.sourceIp) && ctx.form.confirm !== CONFIRM_LOCKOUT) {
    return allowlistPage(ctx, { draft, confirmLockout: true });
  }
  const version = Number(ctx.form.version);
  try {
    await updateAccountSettings(
      database,
      ctx.account.id,
      { ipAllowlist: checked.cidrs },
      ctx.audit('account.ipAllowlist.updated'),
      Number.isInteger(version) ? version : -1,
    );
  } catch (error) {
    if (!(error instanceof PreconditionFailed)) throw error;
    // Re-read, so the form carries the current version and the current list shows under the warning.
    return allowlistPage({ ...ctx, account: await requireAccount(database, ctx.account.id) }, {
      status: 409,
      draft,
      error: 'Someone changed the account settings since you opened this page. Nothing was saved; check the list and save again.',
    });
  }
  return redirect(`${urlFor('console-ip-allowlist')}?notice=saved`);
});
