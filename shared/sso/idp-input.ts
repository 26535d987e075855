// Request bodies of the IdP admin routes, checked at the edge before any I/O, and the shape rules valibot cannot say
// alone (one SAML source; IdP-initiated login is SAML-only).
import * as v from 'valibot';
import { BadRequest } from '../http/errors.ts';
import { text } from '../http/validate.ts';

const url = v.pipe(v.string(), v.trim(), v.url('must be a URL'), v.maxLength(2048));
const samlFields = {
  metadataXml: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200_000))),
  metadataUrl: v.optional(url),
  entityId: v.optional(text(1024)),
  ssoUrl: v.optional(url),
  certificate: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(20_000))),
  allowIdpInitiated: v.optional(v.boolean()),
};

export const CreateIdpBody = v.variant(
  'type',
  [
    v.strictObject({ type: v.literal('saml'), description: text(200), ...samlFields }),
    v.strictObject({
      type: v.literal('oidc'),
      description: text(200),
      issuer: url,
      clientId: text(512),
      clientSecret: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(2048)),
      allowIdpInitiated: v.optional(v.boolean()),
    }),
  ],
  'type must be "saml" or "oidc"',
);

export const PatchIdpBody = v.pipe(
  v.strictObject({ description: v.optional(text(200)), ...samlFields }),
  v.check((body) => Object.values(body).some((value) => value !== undefined), 'Give at least one field to change'),
);

export type SamlSourceInput = Partial<Record<'metadataXml' | 'metadataUrl' | 'entityId' | 'ssoUrl' | 'certificate', string>>;

/** Exactly one way to describe a SAML IdP: metadata XML, a metadata URL, or entity ID + SSO URL + certificate. */
export function checkSamlSource(input: SamlSourceInput, partial = false): void {
  const manual = ['entityId', 'ssoUrl', 'certificate'] as const;
  const sources = [input.metadataXml !== undefined, input.metadataUrl !== undefined, manual.some((f) => input[f] !== undefined)];
  const count = sources.filter(Boolean).length;
  if (count > 1) throw new BadRequest('Give only one of metadataXml, metadataUrl, or entityId + ssoUrl + certificate');
  if (partial) return;
  if (count === 0) throw new BadRequest('Give metadataXml, metadataUrl, or entityId + ssoUrl + certificate');
  const missing = manual.filter((f) => input[f] === undefined);
  if (sources[2] && missing.length > 0) throw new BadRequest(`A SAML IdP configured by hand also needs ${missing.join(' and ')}`);
}

export const IDP_INITIATED_OIDC =
  'allowIdpInitiated applies to SAML only: OpenID Connect sign-ins always start at our login page (an unsolicited OIDC response cannot be bound to a browser)';

/** `If-Match: W/"3"` (the ETag of GET) → 3; absent → undefined; anything else → 400. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,12})"\s*$/.exec(header);
  if (!match) throw new BadRequest('If-Match must be the ETag of GET, e.g. W/"3"');
  return Number(match[1]);
}
