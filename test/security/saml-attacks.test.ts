// Hostile SAML responses against our real ACS (real HTTP, DynamoDB Local), each signed by a real key of the test IdP
// where a signature matters. Every one must end in the refusal page (4xx, never 500), no session cookie, and a
// `login.failed` audit event naming the reason.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { AuditEvent } from '../../shared/db/audit.ts';
import { createIdp } from '../../shared/db/idps.ts';
import { ALG, encode, samlId, signAssertion, signResponse } from '../support/saml-idp.ts';
import {
  auditEvents,
  idpKeys,
  otherKeys,
  postAcs,
  responseFor,
  setCookies,
  setUpSamlAccount,
  signedResponseFor,
  startLogin,
  type SamlFixture,
} from '../support/saml-setup.ts';
import type { CallResult, TestStack } from '../support/stack.ts';
import { startTestStack } from '../support/stack.ts';

// Schema validation runs libxml2 in a worker per response; on a busy machine a test can take seconds.
jest.setTimeout(30_000);

let stack: TestStack;
let fx: SamlFixture;
let open: SamlFixture;
let otherAccount: SamlFixture;

beforeAll(async () => {
  stack = await startTestStack();
  fx = await setUpSamlAccount(stack, { name: 'Victim Co', domain: 'victim.example' });
  open = await setUpSamlAccount(stack, { name: 'Open Co', domain: 'open.example', allowIdpInitiated: true });
  otherAccount = await setUpSamlAccount(stack, { name: 'Other Co', domain: 'other.example' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

async function failures(accountId: string, reason: string): Promise<number> {
  return (await auditEvents(stack, accountId)).filter((e) => e.action === 'login.failed' && e.reason === `saml_${reason}`).length;
}

/** Posts and checks the refusal: the page, no cookie, and exactly one more audit event with this reason. */
async function expectRefused(target: SamlFixture, reason: string, post: () => Promise<CallResult>, status = 403) {
  const before = await failures(target.accountId, reason);
  const result = await post();
  expect({ status: result.status, reason }).toEqual({ status, reason });
  expect(result.text).toContain('We could not sign you in');
  expect(result.text).not.toMatch(/signature|certificate|digest/i);
  expect(setCookies(result)).toEqual([]);
  expect(await failures(target.accountId, reason)).toBe(before + 1);
}

async function requestId(target: SamlFixture = fx): Promise<string> {
  return (await startLogin(stack, target)).request.id;
}

const assertionOf = (xml: string) => /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)?.[0] ?? '';
const signatureOf = (xml: string) => /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)?.[0] ?? '';
const afterResponseIssuer = (xml: string, insert: string) => xml.replace(/(<\/saml:Issuer>)/, `$1${insert}`);

describe('signatures', () => {
  test('unsigned response', async () => {
    const xml = responseFor(fx, { inResponseTo: await requestId() });
    await expectRefused(fx, 'signature_shape', () => postAcs(stack, fx, xml));
  });

  test('signed by another key (its own certificate in KeyInfo)', async () => {
    const xml = signAssertion(responseFor(fx, { inResponseTo: await requestId() }), otherKeys);
    await expectRefused(fx, 'signature', () => postAcs(stack, fx, xml));
  });

  test('signed by another key while KeyInfo claims the pinned certificate', async () => {
    const xml = signAssertion(responseFor(fx, { inResponseTo: await requestId() }), otherKeys, {
      keyInfoCertBase64: idpKeys.certBase64,
    });
    await expectRefused(fx, 'signature', () => postAcs(stack, fx, xml));
  });

  test('assertion changed after signing (NameID swapped)', async () => {
    const xml = signedResponseFor(fx, { inResponseTo: await requestId() }).replace('ada@victim.example', 'boss@victim.example');
    await expectRefused(fx, 'signature', () => postAcs(stack, fx, xml));
  });

  test('SHA-1 signature and digest', async () => {
    const xml = signAssertion(responseFor(fx, { inResponseTo: await requestId() }), idpKeys, {
      signatureAlgorithm: ALG.rsaSha1,
      digestAlgorithm: ALG.sha1,
    });
    await expectRefused(fx, 'weak_algorithm', () => postAcs(stack, fx, xml));
  });

  test('two signatures on the assertion', async () => {
    const signed = signedResponseFor(fx, { inResponseTo: await requestId() });
    const signature = signatureOf(signed);
    const xml = signed.replace(signature, signature + signature);
    await expectRefused(fx, 'signature_shape', () => postAcs(stack, fx, xml));
  });

  test('ds:Reference with an empty URI (the whole document)', async () => {
    const xml = signedResponseFor(fx, { inResponseTo: await requestId() }).replace(/URI="#[^"]+"/, 'URI=""');
    await expectRefused(fx, 'signature_shape', () => postAcs(stack, fx, xml));
  });
});

describe('XML signature wrapping', () => {
  const evil = async () => responseFor(fx, { inResponseTo: await requestId(), nameId: 'boss@victim.example' });

  test('signed assertion wrapped in Extensions, attacker assertion in its place', async () => {
    const signed = assertionOf(signedResponseFor(fx));
    const xml = afterResponseIssuer(await evil(), `<samlp:Extensions>${signed}</samlp:Extensions>`);
    await expectRefused(fx, 'assertion_count', () => postAcs(stack, fx, xml));
  });

  test('two sibling assertions: signed one and attacker one', async () => {
    const signed = assertionOf(signedResponseFor(fx));
    const attacker = await evil();
    const xml = attacker.replace('</samlp:Status>', `</samlp:Status>${signed}`);
    await expectRefused(fx, 'assertion_count', () => postAcs(stack, fx, xml));
  });

  test('signed assertion hidden in SubjectConfirmationData (CVE-2025-47949 shape)', async () => {
    const signed = assertionOf(signedResponseFor(fx));
    const attacker = await evil();
    const xml = attacker.replace(/(<saml:SubjectConfirmationData[^>]*)\/>/, `$1>${signed}</saml:SubjectConfirmationData>`);
    await expectRefused(fx, 'assertion_count', () => postAcs(stack, fx, xml));
  });

  test('attacker assertion inside ds:Object of a valid signature', async () => {
    const signed = signedResponseFor(fx, { inResponseTo: await requestId() });
    const attacker = assertionOf(await evil());
    const xml = signed.replace('</ds:Signature>', `<ds:Object>${attacker}</ds:Object></ds:Signature>`);
    await expectRefused(fx, 'assertion_count', () => postAcs(stack, fx, xml));
  });

  test('whole signed Response wrapped inside an attacker Response', async () => {
    const signed = signResponse(responseFor(fx), idpKeys).replace(/^<samlp:Response/, '<samlp:Response');
    const xml = afterResponseIssuer(await evil(), `<samlp:Extensions>${signed}</samlp:Extensions>`);
    await expectRefused(fx, 'assertion_count', () => postAcs(stack, fx, xml));
  });

  test('assertion signature moved to the Response, assertion then rewritten', async () => {
    const signed = signedResponseFor(fx, { inResponseTo: await requestId() });
    const signature = signatureOf(signed);
    const xml = afterResponseIssuer(signed.replace(signature, ''), signature).replace('ada@victim.example', 'boss@victim.example');
    await expectRefused(fx, 'signature_shape', () => postAcs(stack, fx, xml));
  });

  test('signature referencing a different ID than its parent', async () => {
    const signed = signedResponseFor(fx, { inResponseTo: await requestId() });
    const xml = signed.replace(/(<saml:Assertion ID=")[^"]+/, `$1${samlId()}`);
    await expectRefused(fx, 'signature_shape', () => postAcs(stack, fx, xml));
  });

  test('duplicate IDs (Response and Assertion share one)', async () => {
    const id = samlId();
    const xml = signAssertion(responseFor(fx, { inResponseTo: await requestId(), responseId: id, assertionId: id }), idpKeys);
    await expectRefused(fx, 'duplicate_id', () => postAcs(stack, fx, xml));
  });

  test('comment injected in the NameID after signing (c14n keeps the signature valid)', async () => {
    const signed = signedResponseFor(fx, { inResponseTo: await requestId(), nameId: 'boss@victim.example.attacker.example' });
    const xml = signed.replace('boss@victim.example.attacker.example', 'boss@victim.example<!---->.attacker.example');
    await expectRefused(fx, 'comment', () => postAcs(stack, fx, xml));
  });
});

describe('conditions', () => {
  test('wrong audience', async () => {
    const xml = signedResponseFor(fx, { inResponseTo: await requestId(), audience: 'https://other-sp.example/metadata' });
    await expectRefused(fx, 'audience', () => postAcs(stack, fx, xml));
  });

  test('wrong destination', async () => {
    const xml = signResponse(
      responseFor(fx, { inResponseTo: await requestId(), destination: 'https://other-sp.example/acs', recipient: fx.acsUrl }),
      idpKeys,
    );
    await expectRefused(fx, 'destination', () => postAcs(stack, fx, xml));
  });

  test('wrong recipient', async () => {
    const xml = signedResponseFor(fx, { inResponseTo: await requestId(), recipient: 'https://other-sp.example/acs' });
    await expectRefused(fx, 'recipient', () => postAcs(stack, fx, xml));
  });

  test('wrong issuer', async () => {
    const xml = signedResponseFor(fx, { inResponseTo: await requestId(), issuer: 'https://evil-idp.example' });
    await expectRefused(fx, 'issuer', () => postAcs(stack, fx, xml));
  });

  test('expired', async () => {
    const past = new Date(Date.now() - 60 * 60_000);
    const xml = signedResponseFor(fx, {
      inResponseTo: await requestId(),
      now: past,
      notOnOrAfter: new Date(past.getTime() + 5 * 60_000),
    });
    await expectRefused(fx, 'expired', () => postAcs(stack, fx, xml));
  });

  test('not yet valid', async () => {
    const future = new Date(Date.now() + 60 * 60_000);
    const xml = signedResponseFor(fx, { inResponseTo: await requestId(), notBefore: future, notOnOrAfter: new Date(future.getTime() + 60_000) });
    await expectRefused(fx, 'not_yet_valid', () => postAcs(stack, fx, xml));
  });
});

describe('request binding and one-time use', () => {
  test('InResponseTo that we never issued', async () => {
    const xml = signedResponseFor(fx, { inResponseTo: samlId() });
    await expectRefused(fx, 'unknown_request', () => postAcs(stack, fx, xml));
  });

  test('InResponseTo of a request issued for another IdP of the same account', async () => {
    const system: AuditEvent = { accountId: fx.accountId, action: 'idp.created', actor: { type: 'system', id: 't' }, outcome: 'success' };
    const second = await createIdp(
      stack.db,
      fx.accountId,
      { type: 'saml', description: 'Second', entityId: 'https://second.example', ssoUrl: 'https://second.example/sso', certificates: [otherKeys.certBase64], allowIdpInitiated: false },
      system,
    );
    const { request } = await startLogin(stack, { ...fx, idp: second });
    const xml = signedResponseFor(fx, { inResponseTo: request.id });
    await expectRefused(fx, 'request_for_other_idp', () => postAcs(stack, fx, xml));
  });

  test('InResponseTo of a request issued in another account', async () => {
    const xml = signedResponseFor(fx, { inResponseTo: await requestId(otherAccount) });
    await expectRefused(fx, 'unknown_request', () => postAcs(stack, fx, xml));
  });

  test('the same SP-initiated response twice: the second is refused', async () => {
    const xml = signedResponseFor(fx, { inResponseTo: await requestId() });
    expect((await postAcs(stack, fx, xml)).status).toBe(302);
    await expectRefused(fx, 'unknown_request', () => postAcs(stack, fx, xml));
  });

  test('a second response to an answered request (new assertion id) is refused', async () => {
    const id = await requestId();
    expect((await postAcs(stack, fx, signedResponseFor(fx, { inResponseTo: id }))).status).toBe(302);
    await expectRefused(fx, 'unknown_request', () => postAcs(stack, fx, signedResponseFor(fx, { inResponseTo: id })));
  });

  test('IdP-initiated replay is refused by the assertion-ID cache', async () => {
    const xml = signedResponseFor(open, { nameId: 'ann@open.example' });
    expect((await postAcs(stack, open, xml)).status).toBe(302);
    await expectRefused(open, 'replayed_assertion', () => postAcs(stack, open, xml));
  });

  test('ten concurrent posts of one response: exactly one signs in', async () => {
    const xml = signedResponseFor(open, { nameId: 'race@open.example' });
    const results = await Promise.all(Array.from({ length: 10 }, () => postAcs(stack, open, xml)));
    expect(results.filter((r) => r.status === 302)).toHaveLength(1);
    expect(results.filter((r) => r.status === 403)).toHaveLength(9);
    expect(results.flatMap(setCookies)).toHaveLength(1);
  }, 30_000);

  test('IdP-initiated when the IdP does not allow it', async () => {
    await expectRefused(fx, 'idp_initiated_disabled', () => postAcs(stack, fx, signedResponseFor(fx)));
  });

  test('IdP-initiated RelayState with an absolute URL is ignored', async () => {
    for (const relayState of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const result = await postAcs(stack, open, signedResponseFor(open, { nameId: 'ann@open.example' }), { relayState });
      expect(result.status).toBe(302);
      expect(result.headers.location).toBe('/me');
    }
  });
});

describe('hostile XML', () => {
  const dtdResponse = (dtd: string, entityUse: string) =>
    responseFor(fx, { inResponseTo: samlId(), rawNameId: entityUse }).replace(/^/, `<?xml version="1.0"?>${dtd}`);

  test('external entity (XXE)', async () => {
    const xml = dtdResponse('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '&x;');
    await expectRefused(fx, 'dtd', () => postAcs(stack, fx, xml));
  });

  test('billion laughs', async () => {
    const entities = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? '<!ENTITY l0 "lol">' : `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`,
    ).join('');
    const xml = dtdResponse(`<!DOCTYPE r [${entities}]>`, '&l9;');
    const started = Date.now();
    await expectRefused(fx, 'dtd', () => postAcs(stack, fx, xml));
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a bare DOCTYPE', async () => {
    await expectRefused(fx, 'dtd', () => postAcs(stack, fx, dtdResponse('<!DOCTYPE samlp:Response>', 'a@victim.example')));
  });

  test('deeply nested document', async () => {
    const nested = `${'<x:a xmlns:x="urn:x">'.repeat(200)}${'</x:a>'.repeat(200)}`;
    const xml = afterResponseIssuer(signedResponseFor(fx, { inResponseTo: samlId() }), `<samlp:Extensions>${nested}</samlp:Extensions>`);
    await expectRefused(fx, 'too_deep', () => postAcs(stack, fx, xml));
  });

  test('SAMLResponse over our size cap', async () => {
    const xml = afterResponseIssuer(responseFor(fx), `<samlp:Extensions><x:a xmlns:x="urn:x">${'A'.repeat(120_000)}</x:a></samlp:Extensions>`);
    await expectRefused(fx, 'too_large', () => postAcs(stack, fx, xml), 413);
  });

  test('a body over the edge limit is refused before any parsing (413, no cookie)', async () => {
    const result = await postAcs(stack, fx, 'A'.repeat(400_000), { raw: true });
    expect(result.status).toBe(413);
    expect(setCookies(result)).toEqual([]);
  });

  test('not base64', async () => {
    await expectRefused(fx, 'not_base64', () => postAcs(stack, fx, '<samlp:Response/>', { raw: true }));
  });

  test('not XML', async () => {
    await expectRefused(fx, 'malformed', () => postAcs(stack, fx, encode('<samlp:Response'), { raw: true }));
  });

  test('a declared non-UTF-8 encoding', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-16"?>${signedResponseFor(fx, { inResponseTo: samlId() })}`;
    await expectRefused(fx, 'encoding', () => postAcs(stack, fx, xml));
  });

  test('a signed document that is not a SAML Response', async () => {
    const xml = signedResponseFor(fx, { inResponseTo: samlId() }).replace(/samlp:Response/g, 'samlp:ArtifactResponse');
    await expectRefused(fx, 'not_a_response', () => postAcs(stack, fx, xml));
  });

  test('an ACS for an IdP id that does not exist is a 404 page', async () => {
    const result = await stack.call('POST', '/sso/saml/unknown-idp/acs', {
      body: `SAMLResponse=${encodeURIComponent(encode(signedResponseFor(fx)))}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(result.status).toBe(404);
    expect(setCookies(result)).toEqual([]);
  });
});
