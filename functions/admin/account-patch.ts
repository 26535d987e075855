// PATCH /api/v1/account {enforcement?, provisioning?}: SSO enforcement is refused until one of the account's IdPs has
// completed a test login, so no one locks the account out; that IdP must still be there when the change is written.
import * as v from 'valibot';
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { requireAccount, updateAccountSettings } from '../../shared/db/accounts.ts';
import { db } from '../../shared/db/client.ts';
import { idpExistsGuard, listIdps, type WriteGuard } from '../../shared/db/idps.ts';
import { Conflict } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';
import { parseWith } from '../../shared/http/validate.ts';
import { ifMatchVersion } from '../../shared/sso/idp-input.ts';

const database = db();
const Body = v.pipe(
  v.strictObject({
    enforcement: v.optional(v.picklist(['mixed', 'enforced'], 'enforcement must be "mixed" or "enforced"')),
    provisioning: v.optional(v.picklist(['invite', 'jit', 'scim'], 'provisioning must be "invite", "jit" or "scim"')),
  }),
  v.check((b) => b.enforcement !== undefined || b.provisioning !== undefined, 'Give enforcement, provisioning, or both'),
);

export const handler = route('admin', async (request) => {
  const body = parseWith(Body, request.body);
  const expected = ifMatchVersion(request.headers['if-match']);
  const { accountId } = principal(request);
  const current = await requireAccount(database, accountId);
  const guards: WriteGuard[] = [];
  if (body.enforcement === 'enforced' && current.enforcement !== 'enforced') {
    const tested = (await listIdps(database, accountId)).find((idp) => idp.testedAt !== undefined);
    if (!tested) {
      throw new Conflict(
        'SSO cannot be enforced yet: none of the account’s identity providers has completed a test login. Run one with POST /api/v1/idps/{id}/test, then retry.',
        'idp_not_tested',
      );
    }
    guards.push(idpExistsGuard(database, accountId, tested.id, true));
  }
  const audit = actedBy(request, 'account.settings.updated');
  const account = await updateAccountSettings(
    database,
    accountId,
    { enforcement: body.enforcement, provisioning: body.provisioning },
    {
      ...audit,
      details: {
        from: { enforcement: current.enforcement, provisioning: current.provisioning },
        to: { enforcement: body.enforcement ?? current.enforcement, provisioning: body.provisioning ?? current.provisioning },
      },
    },
    expected,
    guards,
    'The tested identity provider was removed meanwhile; run a test login again before enforcing SSO',
  );
  return { status: 200, body: account, headers: { ETag: `W/"${account.version}"` } };
});
