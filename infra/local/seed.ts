// Demo data for `npm start`: two accounts, each with a verified domain, an admin user, provisioning mode JIT, an OIDC
// IdP (a client of the demo OIDC provider), an admin key and a SCIM key (minting one needs an IdP, so the IdP comes
// first). Written to .local/seed.json in the shape SPEC.md fixes.
import { createAccount, updateAccountSettings } from '../../shared/db/accounts.ts';
import { createApiKey } from '../../shared/db/api-keys.ts';
import type { AuditEvent } from '../../shared/db/audit.ts';
import type { Db } from '../../shared/db/client.ts';
import { addDomain, markDomainVerified } from '../../shared/db/domains.ts';
import { createIdp } from '../../shared/db/idps.ts';
import { oidcIdpFromInput } from '../../shared/oidc/idp-config.ts';
import { createUser } from '../../shared/db/users.ts';
import { DEFAULT_API_KEY_LIFETIME_DAYS } from '../../shared/config.ts';

export interface SeedAccount {
  id: string;
  name: string;
  domain: string;
  scimBaseUrl: string;
  scimToken: string;
  adminKey: string;
}

export interface Seed {
  baseUrl: string;
  operatorKey: string;
  accounts: SeedAccount[];
}

export const DEMO_ACCOUNTS = [
  { name: 'Acme Demo', domain: 'acme.test' },
  { name: 'Globex Demo', domain: 'globex.test' },
] as const;

/** The account's IdP: a client registered at the demo OIDC provider. */
export interface DemoIdpClient {
  idpId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export async function seedDemoAccount(
  db: Db,
  baseUrl: string,
  demo: { name: string; domain: string },
  idp: DemoIdpClient,
): Promise<SeedAccount> {
  const { account, adminKey, serviceUserId } = await createAccount(db, {
    name: demo.name,
    keyLifetimeDays: DEFAULT_API_KEY_LIFETIME_DAYS,
  });
  const system = (action: string): AuditEvent => ({
    accountId: account.id,
    action,
    actor: { type: 'system', id: 'seed' },
    outcome: 'success',
  });
  await updateAccountSettings(db, account.id, { provisioning: 'jit' }, system('account.settings.updated'));
  // Demo domains are reserved names (.test) that no DNS answers for, so the seed marks them verified directly.
  await addDomain(db, account.id, demo.domain);
  await markDomainVerified(db, account.id, demo.domain, system('domain.verified'));
  await createUser(
    db,
    account.id,
    { email: `demo@${demo.domain}`, role: 'admin', source: 'invite', displayName: `${demo.name} Admin` },
    system('user.invited'),
  );
  const oidc = await oidcIdpFromInput(idp, { accountId: account.id, idpId: idp.idpId });
  await createIdp(db, account.id, { id: idp.idpId, description: 'Demo OIDC provider', ...oidc }, system('idp.created'));
  const { token: scimToken } = await createApiKey(
    db,
    account.id,
    {
      description: 'SCIM provisioning (demo)',
      ownerId: serviceUserId,
      scopes: ['scim'],
      expiresAt: new Date(Date.now() + DEFAULT_API_KEY_LIFETIME_DAYS * 86_400_000),
    },
    system('apiKey.created'),
  );
  return { id: account.id, name: account.name, domain: demo.domain, scimBaseUrl: `${baseUrl}/scim/v2`, scimToken, adminKey };
}
