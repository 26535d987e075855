// Validation of a SAML Response posted to our ACS, with no I/O: the protocol core. Shape checks first (they make the
// signature-wrapping family impossible: exactly one Assertion, signatures only on the Response or that Assertion, each
// referencing its own parent, no comments, no DTD), then samlify (XML schema + signature against the pinned
// certificates + status + issuer), then the checks samlify does not make (audience, destination, recipient, time window,
// InResponseTo consistency). The caller does the once-only checks against DynamoDB.
import type { Idp, SamlIdpConfig } from '../db/idps.ts';
import type { VerifiedIdentity } from '../auth/complete-login.ts';
import { identityProvider, serviceProvider } from './samlify.ts';
import { CLOCK_SKEW_MS, spDetails } from './sp.ts';
import { SAML_NS, UnsafeXml, childElements, descendants, hasCommentOrPi, parseUntrustedXml, singleText } from './xml.ts';

/** Largest SAMLResponse form field we decode (base64 characters). Real responses are 5–30 KB. */
export const MAX_SAML_RESPONSE_CHARS = 100_000;

/** Why a response was refused: for the audit trail only, never shown to the user. */
export type SamlRefusal =
  | 'too_large'
  | 'not_base64'
  | 'dtd'
  | 'encoding'
  | 'malformed'
  | 'too_deep'
  | 'comment'
  | 'not_a_response'
  | 'assertion_count'
  | 'encrypted_assertion'
  | 'signature_shape'
  | 'weak_algorithm'
  | 'duplicate_id'
  | 'schema'
  | 'signature'
  | 'status'
  | 'issuer'
  | 'destination'
  | 'recipient'
  | 'audience'
  | 'not_yet_valid'
  | 'expired'
  | 'in_response_to'
  | 'no_subject'
  | 'nameid_mismatch'
  | 'unknown_request'
  | 'request_for_other_idp'
  | 'idp_initiated_disabled'
  | 'replayed_assertion';

export type VerifiedResponse = {
  ok: true;
  identity: VerifiedIdentity;
  assertionId: string;
  inResponseTo?: string;
  /** When the assertion stops being usable (plus skew): the replay cache keeps its ID until then. */
  expiresAt: Date;
};
export type ResponseCheck = VerifiedResponse | { ok: false; reason: SamlRefusal };

const refuse = (reason: SamlRefusal): { ok: false; reason: SamlRefusal } => ({ ok: false, reason });

const ALLOWED_SIGNATURE_METHODS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
const ALLOWED_DIGEST_METHODS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);
const ALLOWED_TRANSFORMS = new Set([
  'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
]);
const ALLOWED_C14N = new Set(['http://www.w3.org/2001/10/xml-exc-c14n#']);

const EMAIL_ATTRIBUTES = ['email', 'mail', 'emailaddress', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'];
const GIVEN_NAME_ATTRIBUTES = ['givenname', 'firstname', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'];
const FAMILY_NAME_ATTRIBUTES = ['surname', 'sn', 'lastname', 'familyname', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname'];
const DISPLAY_NAME_ATTRIBUTES = ['displayname', 'name', 'http://schemas.microsoft.com/identity/claims/displayname'];

function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/[\r\n\t ]/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

function allIds(root: Element): string[] {
  const ids: string[] = [];
  const stack: Element[] = [root];
  while (stack.length) {
    const el = stack.pop() as Element;
    for (const name of ['ID', 'Id', 'id']) {
      const value = el.getAttribute(name);
      if (value) ids.push(value);
    }
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
  return ids;
}

/** Every ds:Signature must sit on the Response or the Assertion and sign exactly its own parent, with strong algorithms. */
function checkSignatureShape(doc: Document, response: Element, assertion: Element): SamlRefusal | undefined {
  const signatures = descendants(doc, SAML_NS.dsig, 'Signature');
  if (signatures.length === 0 || signatures.length > 2) return 'signature_shape';
  const parents = new Set<Node | null>();
  for (const signature of signatures) {
    const parent = signature.parentNode as Element | null;
    if ((parent !== response && parent !== assertion) || parents.has(parent)) return 'signature_shape';
    parents.add(parent);
    const signedInfo = childElements(signature, SAML_NS.dsig, 'SignedInfo');
    if (signedInfo.length !== 1) return 'signature_shape';
    const info = signedInfo[0] as Element;
    const references = childElements(info, SAML_NS.dsig, 'Reference');
    if (references.length !== 1) return 'signature_shape';
    const reference = references[0] as Element;
    const id = parent.getAttribute('ID');
    if (!id || reference.getAttribute('URI') !== `#${id}`) return 'signature_shape';
    const c14n = childElements(info, SAML_NS.dsig, 'CanonicalizationMethod')[0]?.getAttribute('Algorithm');
    const method = childElements(info, SAML_NS.dsig, 'SignatureMethod')[0]?.getAttribute('Algorithm');
    const digest = childElements(reference, SAML_NS.dsig, 'DigestMethod')[0]?.getAttribute('Algorithm');
    if (!c14n || !ALLOWED_C14N.has(c14n)) return 'weak_algorithm';
    if (!method || !ALLOWED_SIGNATURE_METHODS.has(method)) return 'weak_algorithm';
    if (!digest || !ALLOWED_DIGEST_METHODS.has(digest)) return 'weak_algorithm';
    const transforms = childElements(reference, SAML_NS.dsig, 'Transforms').flatMap((t) =>
      childElements(t, SAML_NS.dsig, 'Transform'),
    );
    if (transforms.some((t) => !ALLOWED_TRANSFORMS.has(t.getAttribute('Algorithm') ?? ''))) return 'weak_algorithm';
  }
  return undefined;
}

function samlifyRefusal(error: unknown): SamlRefusal {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('SCHEMA')) return 'schema';
  if (message.includes('ISSUER')) return 'issuer';
  if (message.includes('STATUS') || message.includes('FAILED_STATUS')) return 'status';
  if (message.includes('EXPIRED') || message.includes('SUBJECT_UNCONFIRMED')) return 'expired';
  return 'signature';
}

/** samlify refuses a response outside its validity window with one code; say which side of the window it was. */
function windowRefusal(assertion: Element, nowMs: number): SamlRefusal {
  const conditions = childElements(assertion, SAML_NS.assertion, 'Conditions')[0];
  const notBefore = time(conditions?.getAttribute('NotBefore') ?? null);
  return notBefore !== undefined && notBefore > nowMs + CLOCK_SKEW_MS ? 'not_yet_valid' : 'expired';
}

function time(value: string | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function attributeValues(assertion: Element): Map<string, string> {
  const values = new Map<string, string>();
  for (const attribute of descendants(assertion, SAML_NS.assertion, 'Attribute')) {
    const name = (attribute.getAttribute('Name') ?? '').toLowerCase();
    const first = childElements(attribute, SAML_NS.assertion, 'AttributeValue')[0];
    const text = first ? singleText(first) : undefined;
    if (name && text !== undefined && !values.has(name)) values.set(name, text.trim());
  }
  return values;
}

const pick = (values: Map<string, string>, names: string[]): string | undefined =>
  names.map((n) => values.get(n)).find((v) => v !== undefined && v !== '');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function verifySamlResponse(
  idp: Idp & SamlIdpConfig,
  samlResponse: unknown,
  now = new Date(),
): Promise<ResponseCheck> {
  if (typeof samlResponse !== 'string' || samlResponse.length === 0) return refuse('malformed');
  if (samlResponse.length > MAX_SAML_RESPONSE_CHARS) return refuse('too_large');
  const xml = decodeBase64(samlResponse);
  if (xml === undefined) return refuse('not_base64');

  let doc: Document;
  try {
    doc = parseUntrustedXml(xml, MAX_SAML_RESPONSE_CHARS);
  } catch (error) {
    if (error instanceof UnsafeXml) return refuse(error.reason as SamlRefusal);
    throw error;
  }
  if (hasCommentOrPi(doc.documentElement)) return refuse('comment');
  const response = doc.documentElement;
  if (response.namespaceURI !== SAML_NS.protocol || response.localName !== 'Response') return refuse('not_a_response');
  if (descendants(doc, '*', 'EncryptedAssertion').length > 0) return refuse('encrypted_assertion');
  const assertions = descendants(doc, '*', 'Assertion');
  if (assertions.length !== 1) return refuse('assertion_count');
  const assertion = assertions[0] as Element;
  if (assertion.parentNode !== response || assertion.namespaceURI !== SAML_NS.assertion) return refuse('assertion_count');
  const ids = allIds(response);
  if (new Set(ids).size !== ids.length) return refuse('duplicate_id');
  const shape = checkSignatureShape(doc, response, assertion);
  if (shape) return refuse(shape);

  const sp = spDetails(idp.id);
  let extractedNameId: unknown;
  try {
    const result = await serviceProvider(idp.id).parseLoginResponse(identityProvider(idp), 'post', {
      body: { SAMLResponse: samlResponse },
    } as never);
    extractedNameId = (result.extract as { nameID?: unknown }).nameID;
  } catch (error) {
    const reason = samlifyRefusal(error);
    return refuse(reason === 'expired' ? windowRefusal(assertion, now.getTime()) : reason);
  }

  // Issuer: the assertion's (signed) and, when present, the response's.
  const assertionIssuer = childElements(assertion, SAML_NS.assertion, 'Issuer')[0];
  if (!assertionIssuer || singleText(assertionIssuer)?.trim() !== idp.entityId) return refuse('issuer');
  const responseIssuer = childElements(response, SAML_NS.assertion, 'Issuer')[0];
  if (responseIssuer && singleText(responseIssuer)?.trim() !== idp.entityId) return refuse('issuer');

  if (response.getAttribute('Destination') !== sp.acsUrl) return refuse('destination');

  // Subject: a bearer confirmation for our ACS, still valid, answering the same request the Response names.
  const subject = childElements(assertion, SAML_NS.assertion, 'Subject')[0];
  const nameIdElement = subject ? childElements(subject, SAML_NS.assertion, 'NameID')[0] : undefined;
  const nameId = nameIdElement ? singleText(nameIdElement)?.trim() : undefined;
  if (!subject || !nameId) return refuse('no_subject');
  if (typeof extractedNameId === 'string' && extractedNameId.trim() !== nameId) return refuse('nameid_mismatch');
  const confirmations = childElements(subject, SAML_NS.assertion, 'SubjectConfirmation')
    .filter((c) => c.getAttribute('Method') === 'urn:oasis:names:tc:SAML:2.0:cm:bearer')
    .flatMap((c) => childElements(c, SAML_NS.assertion, 'SubjectConfirmationData'));
  if (confirmations.length === 0) return refuse('recipient');
  const confirmation = confirmations.find((c) => c.getAttribute('Recipient') === sp.acsUrl);
  if (!confirmation) return refuse('recipient');

  const nowMs = now.getTime();
  const conditions = childElements(assertion, SAML_NS.assertion, 'Conditions')[0];
  if (!conditions) return refuse('audience');
  const notBefore = time(conditions.getAttribute('NotBefore'));
  const notOnOrAfter = time(conditions.getAttribute('NotOnOrAfter'));
  const confirmationNotOnOrAfter = time(confirmation.getAttribute('NotOnOrAfter'));
  if (confirmationNotOnOrAfter === undefined) return refuse('expired');
  if (notBefore !== undefined && notBefore > nowMs + CLOCK_SKEW_MS) return refuse('not_yet_valid');
  if (notOnOrAfter !== undefined && notOnOrAfter <= nowMs - CLOCK_SKEW_MS) return refuse('expired');
  if (confirmationNotOnOrAfter <= nowMs - CLOCK_SKEW_MS) return refuse('expired');

  const restrictions = childElements(conditions, SAML_NS.assertion, 'AudienceRestriction');
  if (restrictions.length === 0) return refuse('audience');
  const satisfied = restrictions.every((r) =>
    childElements(r, SAML_NS.assertion, 'Audience').some((a) => singleText(a)?.trim() === sp.entityId),
  );
  if (!satisfied) return refuse('audience');

  const responseInResponseTo = response.getAttribute('InResponseTo') || undefined;
  const confirmationInResponseTo = confirmation.getAttribute('InResponseTo') || undefined;
  if (responseInResponseTo !== confirmationInResponseTo) return refuse('in_response_to');
  if (responseInResponseTo === undefined && !idp.allowIdpInitiated) return refuse('idp_initiated_disabled');

  const assertionId = assertion.getAttribute('ID');
  if (!assertionId) return refuse('malformed');

  const attributes = attributeValues(assertion);
  const email = EMAIL.test(nameId) ? nameId : pick(attributes, EMAIL_ATTRIBUTES);
  if (!email || !EMAIL.test(email)) return refuse('no_subject');
  const expiresAt = new Date(Math.max(notOnOrAfter ?? 0, confirmationNotOnOrAfter) + CLOCK_SKEW_MS);
  return {
    ok: true,
    identity: {
      email,
      emailVerified: true,
      givenName: pick(attributes, GIVEN_NAME_ATTRIBUTES),
      familyName: pick(attributes, FAMILY_NAME_ATTRIBUTES),
      displayName: pick(attributes, DISPLAY_NAME_ATTRIBUTES),
    },
    assertionId,
    ...(responseInResponseTo ? { inResponseTo: responseInResponseTo } : {}),
    expiresAt,
  };
}
