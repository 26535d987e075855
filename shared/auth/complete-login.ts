// The last step of every SSO flow (SAML ACS, OIDC callback), after the protocol layer has verified who the IdP says the
// user is: find the user in the account, apply the provisioning mode, start a session, audit the outcome, redirect.
// Refusals are pages a person understands; the reason code goes to the audit trail, never a signature detail.
import { recordAudit, type AuditEvent } from '../db/audit.ts';
import { getAccount, type Provisioning } from '../db/accounts.ts';
import type { Db } from '../db/client.ts';
import { emailDomain, isDomainVerified } from '../db/domains.ts';
import { updateIdp, type Idp } from '../db/idps.ts';
import { createUser, getUserItemByEmail, refreshUserNames } from '../db/users.ts';
import type { ApiResponse } from '../http/handler.ts';
import { escapeHtml, page } from '../http/pages.ts';
import { safeRelativePath } from '../http/redirect.ts';
import { createSession, sessionCookie } from './sessions.ts';

/** What the IdP asserted, after the protocol layer verified it. */
export interface VerifiedIdentity {
  email: string;
  /** SAML: true (the IdP vouches for the NameID/email attribute); OIDC: the `email_verified` claim. */
  emailVerified: boolean;
  givenName?: string;
  familyName?: string;
  displayName?: string;
}

export interface LoginContext {
  idp: Idp;
  sourceIp: string;
  /** Where to go after login; ignored unless it is a safe relative path. */
  returnTo?: string;
  /** A test login started by POST /api/v1/idps/{id}/test: success marks the IdP as tested. */
  test?: boolean;
}

export type LoginRefusal =
  | 'email_not_verified'
  | 'email_domain_not_verified'
  | 'not_provisioned'
  | 'user_disabled'
  | 'protocol_error';

const MESSAGES: Record<LoginRefusal, string> = {
  email_not_verified: 'Your identity provider did not confirm your email address, so we cannot sign you in.',
  email_domain_not_verified: 'Your email domain is not set up for this organisation — ask your administrator.',
  not_provisioned: 'This account is not provisioned — ask your administrator.',
  user_disabled: 'Your account is disabled — ask your administrator.',
  protocol_error: 'The sign-in response from your identity provider could not be accepted. Please try again.',
};

export const DEFAULT_AFTER_LOGIN = '/me';

export function loginRefusedPage(reason: LoginRefusal, status = 403): ApiResponse {
  const title = 'We could not sign you in';
  return {
    status,
    html: page(title, `<h1>${title}</h1><p>${escapeHtml(MESSAGES[reason])}</p><p><a href="/login">Back to sign-in</a></p>`),
  };
}

/** Records a refused login (with its reason) and renders the page. Used by the protocol layers too. */
export async function refuseLogin(
  db: Db,
  context: { idp: Idp; sourceIp: string },
  reason: LoginRefusal,
  email?: string,
): Promise<ApiResponse> {
  await recordAudit(db, {
    accountId: context.idp.accountId,
    action: 'login.failed',
    actor: { type: 'idp', id: context.idp.id },
    outcome: 'failure',
    reason,
    sourceIp: context.sourceIp,
    details: { protocol: context.idp.type, ...(email ? { email } : {}) },
  });
  return loginRefusedPage(reason);
}

function mayCreate(mode: Provisioning): boolean {
  return mode === 'jit';
}

export async function completeLogin(db: Db, context: LoginContext, identity: VerifiedIdentity): Promise<ApiResponse> {
  const { idp } = context;
  const accountId = idp.accountId;
  const email = identity.email.trim();
  if (!identity.emailVerified) return refuseLogin(db, context, 'email_not_verified', email);
  const account = await getAccount(db, accountId);
  if (!account) return refuseLogin(db, context, 'not_provisioned', email);

  let user = await getUserItemByEmail(db, accountId, email);
  const actor = { type: 'idp', id: idp.id } as const;
  const audit = (action: string): AuditEvent => ({
    accountId,
    action,
    actor,
    outcome: 'success',
    sourceIp: context.sourceIp,
    details: { protocol: idp.type, idpId: idp.id, ...(context.test ? { test: true } : {}) },
  });

  if (!user) {
    if (!mayCreate(account.provisioning)) return refuseLogin(db, context, 'not_provisioned', email);
    const domain = emailDomain(email);
    if (!domain || !(await isDomainVerified(db, accountId, domain))) {
      return refuseLogin(db, context, 'email_domain_not_verified', email);
    }
    await createUser(
      db,
      accountId,
      {
        email,
        role: 'member',
        source: 'jit',
        givenName: identity.givenName,
        familyName: identity.familyName,
        displayName: identity.displayName,
      },
      audit('user.jitCreated'),
    );
    user = await getUserItemByEmail(db, accountId, email);
    if (!user) return refuseLogin(db, context, 'not_provisioned', email);
  } else {
    if (!user.active) return refuseLogin(db, context, 'user_disabled', email);
    // SCIM mode: only users the IdP provisioned may sign in (invited admins were provisioned by an admin: allowed too).
    if (account.provisioning === 'scim' && user.source !== 'scim' && user.source !== 'invite') {
      return refuseLogin(db, context, 'not_provisioned', email);
    }
    if (account.provisioning === 'jit') await refreshUserNames(db, accountId, user, identity);
  }

  if (context.test) await updateIdp(db, accountId, idp.id, { testedAt: new Date().toISOString() }, audit('idp.tested'));
  const cookie = await createSession(
    db,
    { accountId, userId: user.id, method: idp.type, idpId: idp.id, sourceIp: context.sourceIp },
    audit('login.succeeded'),
  );
  return {
    status: 302,
    headers: { Location: safeRelativePath(context.returnTo) ?? DEFAULT_AFTER_LOGIN },
    multiHeaders: { 'Set-Cookie': [sessionCookie(cookie)] },
  };
}
