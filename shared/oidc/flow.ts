// The OIDC relying party: authorization code flow with PKCE (S256), state and nonce, ID token validated by openid-client
// against discovery. Every failure becomes a refusal page and an audit event naming the check that failed; no session.
import * as oidc from 'openid-client';
import { completeLogin, loginRefusedPage, type LoginRefusal, type VerifiedIdentity } from '../auth/complete-login.ts';
import { idpSecretContext, openSecret } from '../auth/secret-box.ts';
import { recordAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import type { Idp, OidcIdpConfig } from '../db/idps.ts';
import type { ApiResponse } from '../http/handler.ts';
import { safeRelativePath } from '../http/redirect.ts';
import { urlFor } from '../http/url.ts';
import { configurationFor } from './client.ts';
import {
  bindingMatches,
  clearedLoginCookie,
  consumeLoginState,
  loginCookie,
  newBinding,
  saveLoginState,
} from './login-state.ts';

export type OidcIdp = Idp & OidcIdpConfig;

export const isOidcIdp = (idp: Idp | undefined): idp is OidcIdp => idp?.type === 'oidc';

const SCOPE = 'openid email profile';

/** What went wrong, for the audit trail (never a token, code or signature detail beyond the failed check's name). */
export type OidcCheck =
  | 'discovery_failed'
  | 'client_secret_unavailable'
  | 'issuer_mismatch'
  | 'idp_error'
  | 'state_missing'
  | 'state_unknown'
  | 'state_idp_mismatch'
  | 'state_cookie_missing'
  | 'state_cookie_mismatch'
  | 'code_missing'
  | 'token_exchange_failed'
  | 'id_token_invalid'
  | 'email_missing';

interface Refusal {
  check: OidcCheck;
  reason?: LoginRefusal;
  status?: number;
  /** Short machine codes only (an OAuth error code, a claim name). */
  details?: Record<string, string>;
}

export async function refuseOidcLogin(
  db: Db,
  context: { idp: OidcIdp; sourceIp: string },
  refusal: Refusal,
): Promise<ApiResponse> {
  const reason = refusal.reason ?? 'protocol_error';
  await recordAudit(db, {
    accountId: context.idp.accountId,
    action: 'login.failed',
    actor: { type: 'idp', id: context.idp.id },
    outcome: 'failure',
    reason,
    sourceIp: context.sourceIp,
    details: { protocol: 'oidc', idpId: context.idp.id, check: refusal.check, ...refusal.details },
  });
  const page = loginRefusedPage(reason, refusal.status ?? 403);
  return { ...page, multiHeaders: { 'Set-Cookie': [clearedLoginCookie()] } };
}

const redirectUri = (idp: OidcIdp): string => urlFor('oidc-callback', { idpId: idp.id });

/** GET /sso/oidc/{idpId}/login: state, nonce and PKCE verifier saved server-side, bound to this browser, then off to the IdP. */
export async function startOidcLogin(
  db: Db,
  idp: OidcIdp,
  options: { sourceIp: string; returnTo?: string; test?: boolean },
): Promise<ApiResponse> {
  let config: oidc.Configuration;
  try {
    config = await configurationFor(idp);
  } catch {
    return refuseOidcLogin(db, { idp, sourceIp: options.sourceIp }, { check: 'discovery_failed', status: 502 });
  }
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const binding = newBinding();
  const returnTo = safeRelativePath(options.returnTo);
  await saveLoginState(db, {
    state,
    accountId: idp.accountId,
    idpId: idp.id,
    nonce,
    codeVerifier,
    ...(returnTo ? { returnTo } : {}),
    test: options.test === true,
    bindingHash: binding.hash,
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(idp),
    response_type: 'code',
    scope: SCOPE,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { status: 302, headers: { Location: url.href }, multiHeaders: { 'Set-Cookie': [loginCookie(binding.secret)] } };
}

/** A short, safe token for the audit trail: OAuth error codes are [\x20-\x7e] but we keep only word characters. */
const code = (value: unknown): string => String(value ?? 'unknown').replace(/[^\w.-]/g, '').slice(0, 64) || 'unknown';

function describeGrantFailure(error: unknown): Refusal {
  if (error instanceof oidc.ResponseBodyError) return { check: 'token_exchange_failed', details: { error: code(error.error) } };
  // openid-client wraps oauth4webapi's error, which names the failed claim.
  const failure = error as { code?: string; cause?: { claim?: string; cause?: { claim?: string } } };
  if (failure.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || failure.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
    const claim = failure.cause?.claim ?? failure.cause?.cause?.claim;
    return { check: 'id_token_invalid', details: { error: code(failure.code), ...(claim ? { claim: code(claim) } : {}) } };
  }
  if (typeof failure.code === 'string' && failure.code.startsWith('OAUTH_')) {
    return { check: 'id_token_invalid', details: { error: code(failure.code) } };
  }
  return { check: 'token_exchange_failed', details: { error: code((error as Error)?.name) } };
}

/** OIDC says `email_verified` is a boolean; some IdPs send the string "true". */
const verified = (value: unknown): boolean => value === true || value === 'true';
const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : undefined;

/** GET /sso/oidc/{idpId}/callback. */
export async function finishOidcLogin(
  db: Db,
  idp: OidcIdp,
  request: { query: Record<string, string>; sourceIp: string; bindingCookie: string | undefined },
): Promise<ApiResponse> {
  const context = { idp, sourceIp: request.sourceIp };
  const { query } = request;
  const state = query.state;
  // Consume the state first, whatever happens next: a callback URL works at most once.
  const saved = state ? await consumeLoginState(db, idp.accountId, state) : undefined;
  if (query.error !== undefined) return refuseOidcLogin(db, context, { check: 'idp_error', details: { error: code(query.error) } });
  if (!state) return refuseOidcLogin(db, context, { check: 'state_missing' });
  if (!saved) return refuseOidcLogin(db, context, { check: 'state_unknown' });
  if (saved.idpId !== idp.id) return refuseOidcLogin(db, context, { check: 'state_idp_mismatch' });
  if (!request.bindingCookie) return refuseOidcLogin(db, context, { check: 'state_cookie_missing' });
  if (!bindingMatches(saved, request.bindingCookie)) return refuseOidcLogin(db, context, { check: 'state_cookie_mismatch' });
  if (!query.code) return refuseOidcLogin(db, context, { check: 'code_missing' });

  let claims: oidc.IDToken;
  let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  let config: oidc.Configuration;
  let secretFailed = false;
  const secret = () =>
    openSecret(idp.clientSecretEncrypted, idpSecretContext(idp.accountId, idp.id)).catch((error: unknown) => {
      secretFailed = true;
      throw error;
    });
  try {
    config = await configurationFor(idp, secret);
  } catch {
    // A secret that does not open (another IDP_SECRET_KEY) is ours to fix, not the user's; the page is the same.
    return refuseOidcLogin(db, context, { check: secretFailed ? 'client_secret_unavailable' : 'discovery_failed', status: 502 });
  }
  // RFC 9207: an `iss` in the authorization response must be this IdP's (mix-up defence; openid-client checks it too).
  if (query.iss !== undefined && query.iss !== config.serverMetadata().issuer) {
    return refuseOidcLogin(db, context, { check: 'issuer_mismatch' });
  }
  try {
    const currentUrl = new URL(redirectUri(idp));
    for (const [name, value] of Object.entries(query)) currentUrl.searchParams.set(name, value);
    tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: saved.codeVerifier,
      expectedState: saved.state,
      expectedNonce: saved.nonce,
      idTokenExpected: true,
    });
    const idTokenClaims = tokens.claims();
    if (!idTokenClaims) return refuseOidcLogin(db, context, { check: 'id_token_invalid', details: { error: 'missing' } });
    claims = idTokenClaims;
  } catch (error) {
    return refuseOidcLogin(db, context, describeGrantFailure(error));
  }

  // Some IdPs keep profile claims for the UserInfo endpoint; ask it only when the ID token lacks the email.
  let profile: Record<string, unknown> = claims;
  if (typeof claims.email !== 'string') {
    try {
      profile = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
    } catch {
      return refuseOidcLogin(db, context, { check: 'email_missing' });
    }
  }
  const email = optionalString(profile.email);
  if (!email) return refuseOidcLogin(db, context, { check: 'email_missing' });
  const identity: VerifiedIdentity = {
    email,
    emailVerified: verified(profile.email_verified),
    givenName: optionalString(profile.given_name),
    familyName: optionalString(profile.family_name),
    displayName: optionalString(profile.name),
  };
  const response = await completeLogin(db, { idp, sourceIp: request.sourceIp, returnTo: saved.returnTo, test: saved.test }, identity);
  const cookies = [...(response.multiHeaders?.['Set-Cookie'] ?? []), clearedLoginCookie()];
  return { ...response, multiHeaders: { ...response.multiHeaders, 'Set-Cookie': cookies } };
}
