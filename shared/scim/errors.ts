// SCIM errors (RFC 7644 §3.12), named after the scimType the client sees. The renderer in shared/http turns them into
// the SCIM error schema; nothing here renders.
import { HttpError } from '../http/errors.ts';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor';

export class ScimError extends HttpError {
  constructor(status: number, scimType: ScimType | undefined, detail: string) {
    super(status, scimType ?? 'scim_error', detail);
    if (scimType) this.scimType = scimType;
  }
}

export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
export const noTarget = (detail: string) => new ScimError(400, 'noTarget', detail);
export const mutability = (detail: string) => new ScimError(400, 'mutability', detail);
export const tooMany = (detail: string) => new ScimError(400, 'tooMany', detail);
export const uniqueness = (detail: string) => new ScimError(409, 'uniqueness', detail);
