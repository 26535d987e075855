// A SCIM-ready test account: created through the operator API, an IdP, a `scim` key minted through the admin API, and a
// verified domain (the repository call the seed uses: DNS verification is another route's job).
import type { AuditEvent } from '../../../shared/db/audit.ts';
import { addDomain, markDomainVerified } from '../../../shared/db/domains.ts';
import { createIdp } from '../../../shared/db/idps.ts';
import { createTestAccount, type CallOptions, type CallResult, type TestStack } from '../../support/stack.ts';

export interface ScimAccount {
  id: string;
  adminKey: string;
  scimKey: string;
  domain: string;
  /** A SCIM call with this account's key and SCIM content type. */
  scim(method: string, path: string, options?: CallOptions): Promise<CallResult>;
}

export async function createScimAccount(stack: TestStack, name: string, domain: string): Promise<ScimAccount> {
  const account = await createTestAccount(stack, name);
  // A scim key needs an IdP first (SPEC): a SAML IdP configured by hand, through the repository the admin API uses.
  await createIdp(
    stack.db,
    account.id,
    { description: 'Test IdP', type: 'saml', entityId: `https://idp.${domain}`, ssoUrl: `https://idp.${domain}/sso`, certificates: [], allowIdpInitiated: false },
    { accountId: account.id, action: 'idp.created', actor: { type: 'system', id: 'test' }, outcome: 'success' },
  );
  const key = await stack.call('POST', '/api/v1/api-keys', {
    token: account.adminKey,
    body: { description: 'IdP provisioning', scopes: ['scim'] },
  });
  if (key.status !== 201) throw new Error(`scim key: ${key.status} ${key.text}`);
  const audit: AuditEvent = { accountId: account.id, action: 'domain.verified', actor: { type: 'system', id: 'test' }, outcome: 'success' };
  await addDomain(stack.db, account.id, domain);
  await markDomainVerified(stack.db, account.id, domain, audit);
  const scimKey = key.json.token as string;
  return {
    ...account,
    scimKey,
    domain,
    scim: (method, path, options = {}) =>
      stack.call(method, `/scim/v2${path}`, {
        token: scimKey,
        ...options,
        headers: {
          Accept: 'application/scim+json',
          ...(options.body !== undefined ? { 'Content-Type': 'application/scim+json; charset=utf-8' } : {}),
          ...options.headers,
        },
      }),
  };
}
