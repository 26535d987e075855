// Shared set-up for the SAML tests: an account in JIT mode with a verified domain, a SAML IdP that trusts the test
// IdP's key (test/support/saml-idp.ts), and helpers to run a login through our real endpoints.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { updateAccountSettings } from '../../shared/db/accounts.ts';
import type { AuditEvent } from '../../shared/db/audit.ts';
import { addDomain, markDomainVerified } from '../../shared/db/domains.ts';
import { createIdp, type Idp } from '../../shared/db/idps.ts';
import { accountPk } from '../../shared/db/keys.ts';
import { acsForm, buildResponse, encode, loadKeyPair, readRedirectRequest, signAssertion, type ResponseOptions } from './saml-idp.ts';
import { createTestAccount, type CallResult, type TestStack } from './stack.ts';

export const IDP_ENTITY_ID = 'https://idp.test/saml/metadata';
export const DOMAIN = 'saml.example';
export const idpKeys = loadKeyPair('idp');
export const otherKeys = loadKeyPair('other-idp');

export interface SamlFixture {
  accountId: string;
  idp: Idp;
  acsUrl: string;
  entityId: string;
  /** The account's verified email domain. */
  domain: string;
}

export async function setUpSamlAccount(
  stack: TestStack,
  options: { allowIdpInitiated?: boolean; name?: string; domain?: string } = {},
): Promise<SamlFixture> {
  const accountId = (await createTestAccount(stack, options.name ?? 'SAML Co')).id;
  const domain = options.domain ?? DOMAIN;
  const system = (action: string): AuditEvent => ({ accountId, action, actor: { type: 'system', id: 'test' }, outcome: 'success' });
  await addDomain(stack.db, accountId, domain);
  await markDomainVerified(stack.db, accountId, domain, system('domain.verified'));
  await updateAccountSettings(stack.db, accountId, { provisioning: 'jit' }, system('account.settings.updated'));
  const idp = await createIdp(
    stack.db,
    accountId,
    {
      type: 'saml',
      description: 'Test IdP',
      entityId: IDP_ENTITY_ID,
      ssoUrl: 'https://idp.test/saml/sso',
      certificates: [idpKeys.certBase64],
      allowIdpInitiated: options.allowIdpInitiated ?? false,
    },
    system('idp.created'),
  );
  return {
    accountId,
    idp,
    acsUrl: `${stack.baseUrl}/sso/saml/${idp.id}/acs`,
    entityId: `${stack.baseUrl}/sso/saml/${idp.id}/metadata`,
    domain,
  };
}

/** Starts an SP-initiated login through our login route and returns the AuthnRequest the IdP would receive. */
export async function startLogin(stack: TestStack, fx: SamlFixture, query = '') {
  const result = await stack.call('GET', `/sso/saml/${fx.idp.id}/login${query}`);
  if (result.status !== 302) throw new Error(`login did not redirect: ${result.status} ${result.text}`);
  return { location: String(result.headers.location), request: readRedirectRequest(String(result.headers.location)) };
}

/** A good response for this fixture (override anything), unsigned. */
export function responseFor(fx: SamlFixture, overrides: Partial<ResponseOptions> = {}): string {
  return buildResponse({
    issuer: IDP_ENTITY_ID,
    destination: fx.acsUrl,
    audience: fx.entityId,
    nameId: `ada@${fx.domain}`,
    attributes: { firstName: 'Ada', lastName: 'Lovelace' },
    ...overrides,
  });
}

export const signedResponseFor = (fx: SamlFixture, overrides: Partial<ResponseOptions> = {}) =>
  signAssertion(responseFor(fx, overrides), idpKeys);

export function postAcs(stack: TestStack, fx: SamlFixture, xmlOrBase64: string, options: { relayState?: string; raw?: boolean } = {}): Promise<CallResult> {
  const body = acsForm(options.raw ? xmlOrBase64 : encode(xmlOrBase64), options.relayState);
  return stack.call('POST', `/sso/saml/${fx.idp.id}/acs`, {
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

export async function auditEvents(stack: TestStack, accountId: string): Promise<{ action: string; reason?: string; details?: Record<string, unknown> }[]> {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':p': 'AUDIT#' },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).map((i) => ({ action: i.action as string, reason: i.reason as string | undefined, details: i.details as Record<string, unknown> | undefined }));
}

export const setCookies = (result: CallResult): string[] => {
  const value = result.headers['set-cookie'];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
};
