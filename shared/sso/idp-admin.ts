// The state changes of identity providers, account settings and domains, shared by the admin API (functions/sso/*,
// functions/admin/account-patch.ts) and the admin console (functions/console/*), so both apply the same rules and write
// the same audit events. Refusals are HttpErrors (400 / 404 / 409 / 412 / 422 / 503) that each caller renders its way.
import * as v from 'valibot';
import { hasLiveScimKey } from '../db/api-keys.ts';
import { recordAudit, type AuditEvent } from '../db/audit.ts';
import { requireAccount, updateAccountSettings, type Account, type Enforcement, type Provisioning } from '../db/accounts.ts';
import type { Db } from '../db/client.ts';
import { getDomain, markDomainVerified, registerDomain, type Domain } from '../db/domains.ts';
import { createIdp, deleteIdp, getIdp, idpExistsGuard, listIdps, updateIdp, type Idp, type IdpConfig, type WriteGuard } from '../db/idps.ts';
import { accountKey } from '../db/keys.ts';
import { BadRequest, Conflict, HttpError, NotFound, ServiceUnavailable } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { oidcIdpFromInput } from '../oidc/idp-config.ts';
import { samlIdpFromInput } from '../saml/idp-config.ts';
import { lookupTxtChallenge } from './dns-txt.ts';
import { checkDomainName } from './domain-name.ts';
import { type CreateIdpBody, IDP_INITIATED_OIDC, type PatchIdpBody, checkSamlSource } from './idp-input.ts';

/** Adds an IdP from a checked CreateIdpBody: SAML metadata is read and checked, OIDC discovery runs, the secret is sealed. */
export async function addIdp(db: Db, accountId: string, body: v.InferOutput<typeof CreateIdpBody>, audit: AuditEvent): Promise<Idp> {
  const id = newId();
  let config: IdpConfig;
  if (body.type === 'saml') {
    const { type: _type, description: _description, ...source } = body;
    checkSamlSource(source);
    config = await samlIdpFromInput(source);
  } else {
    if (body.allowIdpInitiated) throw new BadRequest(IDP_INITIATED_OIDC, 'idp_initiated_not_supported');
    config = await oidcIdpFromInput({ issuer: body.issuer, clientId: body.clientId, clientSecret: body.clientSecret }, { accountId, idpId: id });
  }
  return createIdp(db, accountId, { description: body.description, ...config }, audit, id);
}

const SAML_ONLY = ['metadataXml', 'metadataUrl', 'entityId', 'ssoUrl', 'certificate'] as const;

/** Applies a checked PatchIdpBody; optimistic on `expectedVersion` (else on the version read). */
export async function changeIdp(
  db: Db,
  accountId: string,
  idpId: string,
  body: v.InferOutput<typeof PatchIdpBody>,
  audit: AuditEvent,
  expectedVersion?: number,
): Promise<Idp> {
  const current = await getIdp(db, accountId, idpId);
  if (!current) throw new NotFound('No such identity provider');

  const changes: Record<string, unknown> = { description: body.description };
  if (current.type === 'oidc') {
    const samlFields = SAML_ONLY.filter((field) => body[field] !== undefined);
    if (samlFields.length > 0) throw new BadRequest(`${samlFields.join(', ')} apply to SAML identity providers only`);
    if (body.allowIdpInitiated) throw new BadRequest(IDP_INITIATED_OIDC, 'idp_initiated_not_supported');
  } else {
    changes.allowIdpInitiated = body.allowIdpInitiated;
    checkSamlSource(body, true);
    const allowIdpInitiated = body.allowIdpInitiated ?? current.allowIdpInitiated;
    if (body.metadataXml !== undefined || body.metadataUrl !== undefined) {
      const config = await samlIdpFromInput({ metadataXml: body.metadataXml, metadataUrl: body.metadataUrl, allowIdpInitiated });
      Object.assign(changes, { entityId: config.entityId, ssoUrl: config.ssoUrl, certificates: config.certificates });
      if (config.metadataUrl !== undefined) changes.metadataUrl = config.metadataUrl;
    } else if (body.entityId !== undefined || body.ssoUrl !== undefined || body.certificate !== undefined) {
      // Re-check the whole manual configuration with the new parts in it.
      const config = await samlIdpFromInput({
        entityId: body.entityId ?? current.entityId,
        ssoUrl: body.ssoUrl ?? current.ssoUrl,
        certificate: body.certificate ?? current.certificates[0],
        allowIdpInitiated,
      });
      Object.assign(changes, {
        entityId: config.entityId,
        ssoUrl: config.ssoUrl,
        certificates: body.certificate !== undefined ? config.certificates : current.certificates,
      });
    }
  }
  return updateIdp(db, accountId, idpId, changes, audit, expectedVersion ?? current.version);
}

/**
 * Deletes an IdP unless the account cannot do without it — the last tested one while SSO is enforced (nobody could sign
 * in), or the last one while SCIM keys are live (SCIM needs an IdP). The checks are repeated as conditions of the delete
 * transaction, so a concurrent change cannot slip between the read and the write.
 */
export async function removeIdp(db: Db, accountId: string, idpId: string, audit: AuditEvent): Promise<void> {
  const [account, idps, scimKeys] = await Promise.all([requireAccount(db, accountId), listIdps(db, accountId), hasLiveScimKey(db, accountId)]);
  if (!idps.some((idp) => idp.id === idpId)) throw new NotFound('No such identity provider');
  const others = idps.filter((idp) => idp.id !== idpId);
  const guards: WriteGuard[] = [
    {
      ConditionCheck: {
        TableName: db.tableName,
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
    guards.push(idpExistsGuard(db, accountId, tested.id, true));
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
    guards.push(idpExistsGuard(db, accountId, other.id));
  }
  await deleteIdp(db, accountId, idpId, audit, guards);
}

/** PATCH /api/v1/account's body; the console's settings form is checked with it too. */
export const AccountSettingsBody = v.pipe(
  v.strictObject({
    enforcement: v.optional(v.picklist(['mixed', 'enforced'], 'enforcement must be "mixed" or "enforced"')),
    provisioning: v.optional(v.picklist(['invite', 'jit', 'scim'], 'provisioning must be "invite", "jit" or "scim"')),
  }),
  v.check((b) => b.enforcement !== undefined || b.provisioning !== undefined, 'Give enforcement, provisioning, or both'),
);

/** The code of the 409 that refuses enforcement before any IdP completed a test login. */
export const IDP_NOT_TESTED = 'idp_not_tested';

/**
 * Changes enforcement and/or provisioning. SSO enforcement is refused (409 `idp_not_tested`) until one of the account's
 * IdPs has completed a test login, and that IdP must still be there when the change is written.
 */
export async function changeAccountSettings(
  db: Db,
  accountId: string,
  body: { enforcement?: Enforcement; provisioning?: Provisioning },
  audit: AuditEvent,
  expectedVersion?: number,
): Promise<Account> {
  const current = await requireAccount(db, accountId);
  const guards: WriteGuard[] = [];
  if (body.enforcement === 'enforced' && current.enforcement !== 'enforced') {
    const tested = (await listIdps(db, accountId)).find((idp) => idp.testedAt !== undefined);
    if (!tested) {
      throw new Conflict(
        'SSO cannot be enforced yet: none of the account’s identity providers has completed a test login. Run one with POST /api/v1/idps/{id}/test, then retry.',
        IDP_NOT_TESTED,
      );
    }
    guards.push(idpExistsGuard(db, accountId, tested.id, true));
  }
  return updateAccountSettings(
    db,
    accountId,
    { enforcement: body.enforcement, provisioning: body.provisioning },
    {
      ...audit,
      details: {
        ...audit.details,
        from: { enforcement: current.enforcement, provisioning: current.provisioning },
        to: { enforcement: body.enforcement ?? current.enforcement, provisioning: body.provisioning ?? current.provisioning },
      },
    },
    expectedVersion,
    guards,
    'The tested identity provider was removed meanwhile; run a test login again before enforcing SSO',
  );
}

/** Registers a domain after checking its name (400 `invalid_domain`); answers its TXT challenge, `created` false when the
 *  account had added it before. */
export async function addAccountDomain(
  db: Db,
  accountId: string,
  name: string,
  audit: AuditEvent,
): Promise<{ domain: Domain; created: boolean }> {
  const checked = checkDomainName(name);
  if ('problem' in checked) throw new BadRequest(checked.problem, 'invalid_domain');
  return registerDomain(db, accountId, checked.domain, audit);
}

/**
 * Looks up the domain's TXT record (DNS_SERVERS in tests) and, when it is there, verifies and claims the domain. A
 * missing or wrong record is audited (`domain.verificationFailed`) and answered 422 `txt_record_not_found`; DNS that does
 * not answer, 503.
 */
export async function verifyDomain(
  db: Db,
  accountId: string,
  name: string,
  /** The audit fields for an action by this caller (`actedBy(request, …)` or the console's `ctx.audit`). */
  audit: (action: string) => AuditEvent,
): Promise<Domain> {
  const checked = checkDomainName(name);
  if ('problem' in checked) throw new BadRequest(checked.problem, 'invalid_domain');
  const domain = await getDomain(db, accountId, checked.domain);
  if (!domain) throw new NotFound(`Add the domain ${checked.domain} (POST /api/v1/domains) before verifying it`);
  if (domain.verified) return domain;

  const lookup = await lookupTxtChallenge(domain.txtName, domain.txtValue);
  if (!lookup.found) {
    await recordAudit(db, {
      ...audit('domain.verificationFailed'),
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
  return markDomainVerified(db, accountId, domain.domain, audit('domain.verified'));
}
