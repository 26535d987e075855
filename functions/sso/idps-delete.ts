// DELETE /api/v1/idps/{id}: refuses to remove the IdP the account cannot do without — the last tested one while SSO is
// enforced (nobody could sign in), or the last one while SCIM keys are live (SCIM needs an IdP). The checks are repeated
// as conditions of the delete transaction, so a concurrent change cannot slip between the read and the write.
import { actedBy, principal } from '../../shared/auth/principal.ts';
import { requireAccount } from '../../shared/db/accounts.ts';
import { hasLiveScimKey } from '../../shared/db/api-keys.ts';
import { db } from '../../shared/db/client.ts';
import { deleteIdp, idpExistsGuard, listIdps, type WriteGuard } from '../../shared/db/idps.ts';
import { accountKey } from '../../shared/db/keys.ts';
import { Conflict, NotFound } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';

const database = db();

export const handler = route('admin', async (request) => {
  const { accountId } = principal(request);
  const idpId = request.pathParameters.id ?? '';
  const [account, idps, scimKeys] = await Promise.all([
    requireAccount(database, accountId),
    listIdps(database, accountId),
    hasLiveScimKey(database, accountId),
  ]);
  if (!idps.some((idp) => idp.id === idpId)) throw new NotFound('No such identity provider');
  const others = idps.filter((idp) => idp.id !== idpId);
  const guards: WriteGuard[] = [
    {
      ConditionCheck: {
        TableName: database.tableName,
        Key: accountKey(accountId),
        ConditionExpression: 'version = :read',
        ExpressionAttributeValues: { ':read': account.version },
      },
    },
  ];
  if (account.enforcement === 'enforced') {
    const tested = others.find((idp) => idp.testedAt !== undefined);
    if (!tested) {
      throw new Conflict(
        'Single sign-on is enforced and this is the account’s last tested identity provider: deleting it would lock everyone out. Switch enforcement to mixed (PATCH /api/v1/account) or complete a test login with another IdP first.',
        'idp_required',
      );
    }
    guards.push(idpExistsGuard(database, accountId, tested.id, true));
  }
  // Enforcement's guard (a tested IdP remains) already keeps an IdP; one check per item is all a transaction allows.
  if (scimKeys && guards.length === 1) {
    const other = others[0];
    if (!other) {
      throw new Conflict(
        'The account has live SCIM keys, and SCIM needs an identity provider: revoke the SCIM keys or add another IdP before deleting this one.',
        'idp_required',
      );
    }
    guards.push(idpExistsGuard(database, accountId, other.id));
  }
  await deleteIdp(database, accountId, idpId, actedBy(request, 'idp.deleted'), guards);
  return { status: 204 };
});
