// The assertion consumer service: a verified response (response.ts) that answers a request we issued for this IdP (or
// an allowed unsolicited one) and has never been used before becomes a login (completeLogin). Every refusal is the same
// page for the user and an audit event whose reason says what was wrong.
import { completeLogin, loginRefusedPage } from '../auth/complete-login.ts';
import { recordAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import type { Idp, SamlIdpConfig } from '../db/idps.ts';
import { consumeSamlResponse, getSamlRequest } from '../db/saml.ts';
import type { ApiResponse } from '../http/handler.ts';
import { safeRelativePath } from '../http/redirect.ts';
import { verifySamlResponse, type SamlRefusal } from './response.ts';

export interface AcsInput {
  idp: Idp & SamlIdpConfig;
  /** The posted form fields (application/x-www-form-urlencoded). */
  form: unknown;
  sourceIp: string;
}

async function refuse(db: Db, input: AcsInput, reason: SamlRefusal, email?: string): Promise<ApiResponse> {
  await recordAudit(db, {
    accountId: input.idp.accountId,
    action: 'login.failed',
    actor: { type: 'idp', id: input.idp.id },
    outcome: 'failure',
    reason: `saml_${reason}`,
    sourceIp: input.sourceIp,
    details: { protocol: 'saml', idpId: input.idp.id, ...(email ? { email } : {}) },
  });
  return loginRefusedPage('protocol_error', reason === 'too_large' ? 413 : 403);
}

export async function consumeAssertion(db: Db, input: AcsInput, now = new Date()): Promise<ApiResponse> {
  const form = (typeof input.form === 'object' && input.form !== null ? input.form : {}) as Record<string, unknown>;
  const checked = await verifySamlResponse(input.idp, form.SAMLResponse, now);
  if (!checked.ok) return refuse(db, input, checked.reason);
  const email = checked.identity.email;

  let returnTo: string | undefined;
  let test = false;
  if (checked.inResponseTo !== undefined) {
    const request = await getSamlRequest(db, input.idp.accountId, checked.inResponseTo, now);
    if (!request) return refuse(db, input, 'unknown_request', email);
    if (request.idpId !== input.idp.id) return refuse(db, input, 'request_for_other_idp', email);
    returnTo = request.returnTo;
    test = request.test;
  } else {
    // Unsolicited (IdP-initiated; verifySamlResponse already refused it unless allowed): RelayState may name where to
    // go, but only as a relative path on our host.
    returnTo = typeof form.RelayState === 'string' ? safeRelativePath(form.RelayState) : undefined;
  }

  const consumed = await consumeSamlResponse(
    db,
    {
      accountId: input.idp.accountId,
      idpId: input.idp.id,
      inResponseTo: checked.inResponseTo,
      assertionId: checked.assertionId,
      assertionExpiresAt: checked.expiresAt,
    },
    now,
  );
  if (!consumed.ok) return refuse(db, input, consumed.reason, email);

  return completeLogin(db, { idp: input.idp, sourceIp: input.sourceIp, returnTo, test }, checked.identity);
}
