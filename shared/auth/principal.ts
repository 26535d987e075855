// The caller of an API-key route, as the authorizer established it.
import type { AuditEvent } from '../db/audit.ts';
import type { ApiRequest, Principal } from '../http/handler.ts';
import { Unauthorized } from '../http/errors.ts';

/** The principal of an authorizer-protected route; its absence means the route was wired without the authorizer. */
export function principal(request: ApiRequest): Principal {
  if (!request.principal) throw new Unauthorized();
  return request.principal;
}

/** The audit fields that say who acted and from where. */
export function actedBy(request: ApiRequest, action: string): AuditEvent {
  const p = principal(request);
  return { accountId: p.accountId, action, actor: { type: 'apiKey', id: p.keyId }, outcome: 'success', sourceIp: request.sourceIp };
}
