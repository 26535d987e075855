// Domains over real HTTP: registration, validation, tenant isolation, and verification against a real DNS server on
// 127.0.0.1 (the service's resolver is pointed at it with DNS_SERVERS).
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { lookupTxtChallenge } from '../../../shared/sso/dns-txt.ts';
import { startDnsServer, type TestDnsServer } from '../../support/dns-server.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

// Under load (several engineers' test runs share two cores) set-up takes longer than Jest's 5 s default.
jest.setTimeout(60_000);

let stack: TestStack;
let dns: TestDnsServer;
let a: { id: string; adminKey: string };
let b: { id: string; adminKey: string };

beforeAll(async () => {
  dns = await startDnsServer();
  process.env.DNS_SERVERS = dns.address;
  process.env.DNS_TIMEOUT_MS = '300';
  stack = await startTestStack();
  a = await createTestAccount(stack, 'Domain A');
  b = await createTestAccount(stack, 'Domain B');
});

afterAll(async () => {
  await stack?.stop();
  await dns?.stop();
});

const auditOf = async (adminKey: string, type: string) =>
  (await stack.call('GET', `/api/v1/audit-events?type=${type}`, { token: adminKey })).json.items as {
    action: string;
    outcome: string;
    reason?: string;
    target?: { id: string };
  }[];

describe('POST /api/v1/domains', () => {
  test('answers the TXT record to publish; adding it again returns the same challenge', async () => {
    const created = await stack.call('POST', '/api/v1/domains', { token: a.adminKey, body: { domain: 'Example-A.COM.' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ domain: 'example-a.com', txtName: '_identity-challenge.example-a.com', verified: false });
    expect(created.json.txtValue).toMatch(/^identity-verification=[0-9a-f]{32}$/);
    const again = await stack.call('POST', '/api/v1/domains', { token: a.adminKey, body: { domain: 'example-a.com' } });
    expect(again.status).toBe(200);
    expect(again.json.txtValue).toBe(created.json.txtValue);
    expect((await auditOf(a.adminKey, 'domain.added')).map((e) => e.target?.id)).toEqual(['example-a.com']);
  });

  test('refuses names that are not domains, with the reason', async () => {
    for (const domain of ['localhost', '-bad.com', 'a..com', 'exa mple.com', '10.0.0.1', 'bücher.de', `${'a'.repeat(64)}.com`, '*.example.com', '']) {
      const result = await stack.call('POST', '/api/v1/domains', { token: a.adminKey, body: { domain } });
      expect([domain, result.status, result.json.error]).toEqual([domain, 400, expect.any(String)]);
      expect(result.json.detail.length).toBeGreaterThan(10);
    }
    const unknownField = await stack.call('POST', '/api/v1/domains', { token: a.adminKey, body: { domain: 'x.com', verified: true } });
    expect(unknownField.status).toBe(400);
  });

  test('lists only the caller account’s domains', async () => {
    await stack.call('POST', '/api/v1/domains', { token: b.adminKey, body: { domain: 'b-only.example' } });
    const listA = await stack.call('GET', '/api/v1/domains', { token: a.adminKey });
    expect(listA.status).toBe(200);
    expect(listA.json.items.map((d: { domain: string }) => d.domain)).toEqual(['example-a.com']);
    const listB = await stack.call('GET', '/api/v1/domains', { token: b.adminKey });
    expect(listB.json.items.map((d: { domain: string }) => d.domain)).toEqual(['b-only.example']);
  });

  test('needs an admin key', async () => {
    expect((await stack.call('GET', '/api/v1/domains')).status).toBe(401);
    expect((await stack.call('POST', '/api/v1/domains', { body: { domain: 'x.com' } })).status).toBe(401);
  });
});

describe('POST /api/v1/domains/{domain}/verify', () => {
  test('no record → 422 naming the record to publish; wrong value → 422; right value → verified', async () => {
    const { json: challenge } = await stack.call('POST', '/api/v1/domains', { token: a.adminKey, body: { domain: 'verify-me.example' } });

    const missing = await stack.call('POST', '/api/v1/domains/verify-me.example/verify', { token: a.adminKey });
    expect(missing.status).toBe(422);
    expect(missing.json.detail).toContain('No TXT record was found at _identity-challenge.verify-me.example');
    expect(missing.json.detail).toContain(challenge.txtValue);

    dns.setTxt(challenge.txtName, ['v=spf1 -all', 'identity-verification=not-ours']);
    const wrong = await stack.call('POST', '/api/v1/domains/verify-me.example/verify', { token: a.adminKey });
    expect(wrong.status).toBe(422);
    expect(wrong.json.detail).toContain('does not contain the expected value');

    dns.setTxt(challenge.txtName, ['v=spf1 -all', challenge.txtValue]);
    const ok = await stack.call('POST', '/api/v1/domains/verify-me.example/verify', { token: a.adminKey });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ domain: 'verify-me.example', verified: true, verifiedAt: expect.any(String) });
    expect(dns.queries).toContain('_identity-challenge.verify-me.example');

    const failures = await auditOf(a.adminKey, 'domain.verificationFailed');
    expect(failures.map((e) => e.reason).sort()).toEqual(['no_record', 'wrong_value']);
    expect((await auditOf(a.adminKey, 'domain.verified')).map((e) => e.target?.id)).toEqual(['verify-me.example']);
  });

  test('a TXT value longer than 255 bytes arrives in chunks and is joined before comparing', async () => {
    const long = `identity-verification=${'ab'.repeat(200)}`;
    dns.setTxt('_identity-challenge.long.example', [long]);
    expect(await lookupTxtChallenge('_identity-challenge.long.example', long)).toEqual({ found: true });
    expect(await lookupTxtChallenge('_identity-challenge.long.example', long.slice(0, 255))).toEqual({
      found: false,
      reason: 'wrong_value',
    });
  });

  test('a DNS server that does not answer → 503 with Retry-After, not a 500', async () => {
    await stack.call('POST', '/api/v1/domains', { token: a.adminKey, body: { domain: 'slow.example' } });
    dns.silence('_identity-challenge.slow.example');
    const result = await stack.call('POST', '/api/v1/domains/slow.example/verify', { token: a.adminKey });
    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toBe('30');
    expect(result.json.detail).toContain('DNS did not answer');
  });

  test('a domain verified by one account cannot be added or verified by another (409)', async () => {
    const { json: challengeB } = await stack.call('POST', '/api/v1/domains', { token: b.adminKey, body: { domain: 'contested.example' } });
    const { json: challengeA } = await stack.call('POST', '/api/v1/domains', { token: a.adminKey, body: { domain: 'contested.example' } });
    dns.setTxt('_identity-challenge.contested.example', [challengeA.txtValue, challengeB.txtValue]);
    expect((await stack.call('POST', '/api/v1/domains/contested.example/verify', { token: a.adminKey })).json.verified).toBe(true);
    const lateB = await stack.call('POST', '/api/v1/domains/contested.example/verify', { token: b.adminKey });
    expect(lateB.status).toBe(409);
    expect(lateB.json.error).toBe('domain_taken');
    const addAgain = await stack.call('POST', '/api/v1/domains', { token: b.adminKey, body: { domain: 'CONTESTED.example' } });
    expect(addAgain.status).toBe(409);
  });

  test('another account’s domain, or one never added, is 404 — nothing leaks across tenants', async () => {
    const result = await stack.call('POST', '/api/v1/domains/b-only.example/verify', { token: a.adminKey });
    expect(result.status).toBe(404);
    expect(result.json.detail).toContain('POST /api/v1/domains');
    expect((await stack.call('POST', '/api/v1/domains/not..valid/verify', { token: a.adminKey })).status).toBe(400);
  });
});
