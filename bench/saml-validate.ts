// `node --import tsx bench/saml-validate.ts`: time of verifySamlResponse (no DynamoDB) for a good signed response and
// for refused ones (XSW, billion laughs, a large one), so the cost of the schema worker and of the early refusals is known.
import { machine, round, summarise, writeResult } from './lib.ts';

process.env.PUBLIC_BASE_URL ??= 'https://id.example';
const { verifySamlResponse } = await import('../shared/saml/response.ts');
const { spDetails } = await import('../shared/saml/sp.ts');
const { buildResponse, encode, loadKeyPair, signAssertion } = await import('../test/support/saml-idp.ts');

const keys = loadKeyPair('idp');
const idp = {
  id: 'bench-idp',
  accountId: 'bench',
  description: 'bench',
  type: 'saml' as const,
  entityId: 'https://idp.example/metadata',
  ssoUrl: 'https://idp.example/sso',
  certificates: [keys.certBase64],
  allowIdpInitiated: true,
  createdAt: '',
  updatedAt: '',
  version: 1,
};
const sp = spDetails(idp.id);
const good = () =>
  signAssertion(buildResponse({ issuer: idp.entityId, destination: sp.acsUrl, audience: sp.entityId, nameId: 'a@b.example' }), keys);
const signed = good();
const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(signed)?.[0] ?? '';
const cases: Record<string, () => string> = {
  'good (accepted)': () => encode(good()),
  'XSW sibling assertion (refused)': () => encode(signed.replace('</samlp:Status>', `</samlp:Status>${assertion}`)),
  'billion laughs (refused)': () =>
    encode(`<!DOCTYPE r [<!ENTITY a "${'x'.repeat(100)}"><!ENTITY b "${'&a;'.repeat(100)}">]>${signed}`),
  '94 KB with a comment (refused)': () => encode(signed.replace('</saml:Issuer>', `</saml:Issuer><!--${'x'.repeat(70_000)}-->`)),
};

const N = 30;
const rows: { case: string; outcome: string; p50: number; p99: number; mean: number }[] = [];
for (const [name, make] of Object.entries(cases)) {
  const samples: number[] = [];
  let outcome = '';
  for (let i = 0; i < N; i++) {
    const input = make();
    const started = performance.now();
    const result = await verifySamlResponse(idp, input);
    samples.push(performance.now() - started);
    outcome = result.ok ? 'accepted' : result.reason;
  }
  const s = summarise(samples.slice(3));
  rows.push({ case: name, outcome, p50: round(s.p50), p99: round(s.p99), mean: round(s.mean) });
}
const markdown = [
  `# SAML response validation (${machine()}), n=${N - 3} after 3 warm-up runs, ms`,
  '',
  '| Case | Outcome | p50 | p99 | mean |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.case} | ${r.outcome} | ${r.p50} | ${r.p99} | ${r.mean} |`),
].join('\n');
writeResult('saml-validate', { rows, n: N - 3 }, markdown);
console.log(markdown);
