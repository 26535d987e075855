/**
 * Pure key builders for the single table. Every tenant-owned item lives in its account's partition, so every key starts
 * with the account id; the tenant is always an argument.
 *
 * Items (pk | sk):
 *   Account            ACCOUNT#{a} | ACCOUNT
 *   User (person)      ACCOUNT#{a} | USER#{userId}          gsi1: ACCOUNT#{a}#EMAIL | lower(email)
 *   Service user       ACCOUNT#{a} | SERVICE#{userId}       (owns API keys; never listed by SCIM, never deprovisioned)
 *   User email claim   ACCOUNT#{a} | EMAIL#{lower(email)}   (uniqueness guard, written in the same transaction)
 *   API key            ACCOUNT#{a} | KEY#{keyId}            (hash of the secret only)
 *   Audit event        ACCOUNT#{a} | AUDIT#{isoTime}#{id}   (TTL: AUDIT_RETENTION_DAYS)
 *   Domain             ACCOUNT#{a} | DOMAIN#{domain}        (TXT challenge, verified flag)
 *   Domain claim       DOMAIN#{domain} | CLAIM              (global: which account verified it; login discovery)
 *   Identity provider  ACCOUNT#{a} | IDP#{idpId}            gsi1: IDP#{idpId} | IDP (callback URLs name only the IdP)
 *   Session            ACCOUNT#{a} | SESSION#{sessionId}    (hash of the cookie secret; TTL = absolute timeout)
 *   User (SCIM)        … as User, plus                      gsi2: ACCOUNT#{a}#USEREXT | externalId (when set)
 *   Group              ACCOUNT#{a} | GROUP#{groupId}        gsi2: ACCOUNT#{a}#GROUPEXT | externalId (when set)
 *   Group name claim   ACCOUNT#{a} | GROUPNAME#{lower(displayName)}  (uniqueness guard)
 *   Group membership   ACCOUNT#{a} | GMEMBER#{groupId}#{userId}      gsi2: ACCOUNT#{a}#UGROUPS#{userId} | groupId
 *   SAML AuthnRequest  ACCOUNT#{a} | SAMLREQ#{requestId}    (IdP id, returnTo, test flag; TTL; deleted when answered)
 *   SAML assertion ID  ACCOUNT#{a} | SAMLASSERTION#{idpId}#{assertionId}  (replay cache; TTL = assertion expiry)
 *   OIDC login state   ACCOUNT#{a} | OIDCSTATE#{state}      (nonce, PKCE verifier, browser binding; TTL 10 min)
 *
 * Access patterns (DynamoDB calls per operation):
 *   create account + first admin key ............ 1 TransactWriteItems (account, service user, key)
 *   get account .................................. 1 GetItem
 *   update account settings / IP allowlist ....... 1 UpdateItem (conditional on version)
 *   create user (email unique per account) ....... 1 TransactWriteItems (user, email claim, account counter)
 *   get user by id ............................... 1 GetItem
 *   get user by email ............................ 1 Query (gsi1, exact key)
 *   list users ................................... 1 Query per page (pk = ACCOUNT#{a}, sk begins_with USER#)
 *   create service user .......................... 1 PutItem
 *   disable / enable user ........................ 1 Query (the account's keys) + 1 TransactWriteItems (user + owned keys)
 *   create API key ............................... 1 TransactWriteItems (key + ConditionCheck owner active)
 *   list API keys ................................ 1 Query per page (sk begins_with KEY#)
 *   revoke API key ............................... 1 UpdateItem (conditional)
 *   record an audit event ........................ 1 Put inside the transaction of the change it describes
 *   list audit events (newest first) ............. 1 Query per page (sk begins_with AUDIT#, ScanIndexForward false)
 *   add a domain ................................. 1 PutItem (conditional)
 *   verify a domain .............................. 1 GetItem + 1 TransactWriteItems (domain, global claim, audit)
 *   is a domain verified for the account ......... 1 GetItem
 *   account for an email domain (login) .......... 1 GetItem (global claim)
 *   create / update / delete IdP ................. 1 TransactWriteItems (IdP + audit event)
 *   list IdPs of an account ...................... 1 Query (sk begins_with IDP#)
 *   IdP by id alone (SSO callbacks) .............. 1 Query (gsi1, exact key)
 *   create session ............................... 1 TransactWriteItems (session + audit event)
 *   SAML login (AuthnRequest issued) ........... 1 Query (IdP, gsi1) + 1 PutItem (request, TTL)
 *   SAML ACS ..................................... 1 Query (IdP, gsi1) + 1 TransactWriteItems (delete the request if
 *                                                  SP-initiated, put the assertion id; both conditional) + completeLogin
 *   validate session (every signed-in request) ... 1 BatchGetItem (session + user) [+ 1 UpdateItem to slide the idle
 *                                                  timeout, at most once a minute]
 *   SCIM user by externalId ..................... 1 Query (gsi2, exact key)
 *   SCIM replace / patch user .................... 1 GetItem + 1 TransactWriteItems (user conditional on version,
 *                                                  email claims when userName changes, owned keys when active
 *                                                  changes, audit) [+ 1 Query for the keys when active changes]
 *   SCIM delete user ............................. 1 GetItem + 1 Query (keys) + 1 Query (gsi2, memberships)
 *                                                  + 1 TransactWriteItems
 *   members of a group ........................... 1 Query per page (sk begins_with GMEMBER#{groupId}#)
 *   groups of a user ............................. 1 Query (gsi2, ACCOUNT#{a}#UGROUPS#{userId})
 *   create / rename / delete group ............... 1 TransactWriteItems (group, name claim, memberships, audit)
 *   start an OIDC login .......................... 1 PutItem (login state)
 *   finish an OIDC login (consume state once) .... 1 DeleteItem (conditional, ReturnValues ALL_OLD)
 *   authorize a request (authorizer) ............. 1 BatchGetItem (key + account) [+ 1 UpdateItem for last-used, at
 *                                                  most once per key every LAST_USED_GRANULARITY_SECONDS]
 *   emails of up to 100 users (console audit page)  1 BatchGetItem (user keys; shared/console/user-emails.ts)
 */

export const ENTITY = {
  account: 'Account',
  user: 'User',
  serviceUser: 'ServiceUser',
  userEmail: 'UserEmail',
  apiKey: 'ApiKey',
  auditEvent: 'AuditEvent',
  domain: 'Domain',
  domainClaim: 'DomainClaim',
  idp: 'IdentityProvider',
  session: 'Session',
  group: 'Group',
  groupName: 'GroupName',
  groupMember: 'GroupMember',
  samlRequest: 'SamlAuthnRequest',
  samlAssertion: 'SamlAssertionSeen',
  oidcLoginState: 'OidcLoginState',
} as const;

export type EntityType = (typeof ENTITY)[keyof typeof ENTITY];

export interface ItemKey {
  pk: string;
  sk: string;
}

export const accountPk = (accountId: string): string => `ACCOUNT#${accountId}`;

export const accountKey = (accountId: string): ItemKey => ({ pk: accountPk(accountId), sk: 'ACCOUNT' });

export const USER_SK_PREFIX = 'USER#';
export const userKey = (accountId: string, userId: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `${USER_SK_PREFIX}${userId}`,
});

export const userEmailIndexKey = (accountId: string, email: string): { gsi1pk: string; gsi1sk: string } => ({
  gsi1pk: `${accountPk(accountId)}#EMAIL`,
  gsi1sk: normaliseEmail(email),
});

export const SERVICE_USER_SK_PREFIX = 'SERVICE#';
export const serviceUserKey = (accountId: string, userId: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `${SERVICE_USER_SK_PREFIX}${userId}`,
});

/** Emails compare case-insensitively (SPEC: unique per account, case-insensitive); the stored value keeps its case. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export const userEmailKey = (accountId: string, email: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `EMAIL#${normaliseEmail(email)}`,
});

export const API_KEY_SK_PREFIX = 'KEY#';
export const apiKeyKey = (accountId: string, keyId: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `${API_KEY_SK_PREFIX}${keyId}`,
});

export const AUDIT_SK_PREFIX = 'AUDIT#';
export const auditKey = (accountId: string, isoTime: string, id: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `${AUDIT_SK_PREFIX}${isoTime}#${id}`,
});

/** Domain names compare case-insensitively and without a trailing dot. */
export const normaliseDomain = (domain: string): string => domain.trim().toLowerCase().replace(/\.$/, '');

export const DOMAIN_SK_PREFIX = 'DOMAIN#';
export const domainKey = (accountId: string, domain: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `${DOMAIN_SK_PREFIX}${normaliseDomain(domain)}`,
});

/** The one global (not tenant-owned) item: a verified domain names its account, for login discovery by email. */
export const domainClaimKey = (domain: string): ItemKey => ({ pk: `DOMAIN#${normaliseDomain(domain)}`, sk: 'CLAIM' });

export const IDP_SK_PREFIX = 'IDP#';
export const idpKey = (accountId: string, idpId: string): ItemKey => ({ pk: accountPk(accountId), sk: `${IDP_SK_PREFIX}${idpId}` });
export const idpIndexKey = (idpId: string): { gsi1pk: string; gsi1sk: string } => ({ gsi1pk: `IDP#${idpId}`, gsi1sk: 'IDP' });

export const sessionKey = (accountId: string, sessionId: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `SESSION#${sessionId}`,
});

export const userExternalIdIndexKey = (accountId: string, externalId: string): { gsi2pk: string; gsi2sk: string } => ({
  gsi2pk: `${accountPk(accountId)}#USEREXT`,
  gsi2sk: externalId,
});

export const SESSION_SK_PREFIX = 'SESSION#';

export const GROUP_SK_PREFIX = 'GROUP#';
export const groupKey = (accountId: string, groupId: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `${GROUP_SK_PREFIX}${groupId}`,
});

/** Group names compare case-insensitively; the stored displayName keeps its case. */
export const groupNameKey = (accountId: string, displayName: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `GROUPNAME#${displayName.trim().toLowerCase()}`,
});

export const groupExternalIdIndexKey = (accountId: string, externalId: string): { gsi2pk: string; gsi2sk: string } => ({
  gsi2pk: `${accountPk(accountId)}#GROUPEXT`,
  gsi2sk: externalId,
});

export const groupMembersPrefix = (groupId: string): string => `GMEMBER#${groupId}#`;
export const groupMemberKey = (accountId: string, groupId: string, userId: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `${groupMembersPrefix(groupId)}${userId}`,
});
export const userGroupsIndexKey = (accountId: string, userId: string, groupId: string): { gsi2pk: string; gsi2sk: string } => ({
  gsi2pk: `${accountPk(accountId)}#UGROUPS#${userId}`,
  gsi2sk: groupId,
});

export const samlRequestKey = (accountId: string, requestId: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `SAMLREQ#${requestId}`,
});

/** Replay cache: one item per (IdP, assertion ID) seen at the ACS. */
export const samlAssertionKey = (accountId: string, idpId: string, assertionId: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `SAMLASSERTION#${idpId}#${assertionId}`,
});

export const oidcLoginStateKey = (accountId: string, state: string): ItemKey => ({
  pk: accountPk(accountId),
  sk: `OIDCSTATE#${state}`,
});
