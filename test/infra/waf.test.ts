// AWS WAF on the stage: per-IP rate limits (stricter on login and SSO), AWS managed rules with the body-size rule
// moved aside for SAML posts, SCIM and the admin API.
import { beforeAll, expect, test } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { LARGE_BODY_PATHS, OVERSIZED_BODY_LABEL, RULE_NAMES } from '../../infra/constructs/api-web-acl.ts';
import { synthStack } from './synth.ts';

interface Rule {
  Name: string;
  Priority: number;
  Action?: Record<string, unknown>;
  Statement: Record<string, any>;
}

let template: Template;

beforeAll(() => {
  template = synthStack({ stage: 'prod' }).template;
});

const rules = (t: Template = template): Rule[] =>
  (Object.values(t.findResources('AWS::WAFv2::WebACL'))[0]!.Properties as { Rules: Rule[] }).Rules;
const rule = (name: string) => rules().find((r) => r.Name === name)!;

test('one regional web ACL, associated with the API stage', () => {
  template.resourceCountIs('AWS::WAFv2::WebACL', 1);
  template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
  const aclId = Object.keys(template.findResources('AWS::WAFv2::WebACL'))[0]!;
  const stageId = Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0]!;
  const association = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'))[0]!.Properties as Record<string, unknown>;
  expect(association.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  expect(JSON.stringify(association.ResourceArn)).toContain(`"${stageId}"`);
});

test('a rate-based rule per source IP blocks over 3000 requests in 5 minutes', () => {
  const r = rule(RULE_NAMES.rate);
  expect(r.Action).toEqual({ Block: {} });
  expect(r.Statement.RateBasedStatement).toEqual({ AggregateKeyType: 'IP', Limit: 3000, EvaluationWindowSec: 300 });
});

test('login and SSO paths have a stricter per-IP limit, evaluated first, stage prefix or not', () => {
  const r = rule(RULE_NAMES.loginRate);
  expect(r.Priority).toBe(0);
  expect(r.Action).toEqual({ Block: {} });
  const rate = r.Statement.RateBasedStatement;
  expect([rate.AggregateKeyType, rate.Limit]).toEqual(['IP', 300]);
  expect(rate.Limit).toBeLessThan(rule(RULE_NAMES.rate).Statement.RateBasedStatement.Limit);
  const prefixes = rate.ScopeDownStatement.OrStatement.Statements.map((s: any) => [
    s.ByteMatchStatement.SearchString,
    s.ByteMatchStatement.PositionalConstraint,
    s.ByteMatchStatement.FieldToMatch,
  ]);
  expect(prefixes).toEqual([
    ['/login', 'STARTS_WITH', { UriPath: {} }],
    ['/sso/', 'STARTS_WITH', { UriPath: {} }],
    ['/prod/login', 'STARTS_WITH', { UriPath: {} }],
    ['/prod/sso/', 'STARTS_WITH', { UriPath: {} }],
  ]);
  // Decoded and lower-cased before matching, so /LOGIN or /%73so/ still count.
  for (const s of rate.ScopeDownStatement.OrStatement.Statements) {
    expect(s.ByteMatchStatement.TextTransformations.map((t: { Type: string }) => t.Type)).toEqual(['URL_DECODE', 'LOWERCASE']);
  }
});

test('the limits come from context', () => {
  const t = synthStack({ stage: 'dev', wafRateLimit: '5000', wafLoginRateLimit: '100' }).template;
  const byName = Object.fromEntries(rules(t).map((r) => [r.Name, r.Statement.RateBasedStatement?.Limit]));
  expect([byName[RULE_NAMES.rate], byName[RULE_NAMES.loginRate]]).toEqual([5000, 100]);
});

test("AWS's common rule set runs, with its 8 KB body limit set to count", () => {
  const r = rule(RULE_NAMES.common);
  expect(r.Statement.ManagedRuleGroupStatement).toEqual({
    VendorName: 'AWS',
    Name: 'AWSManagedRulesCommonRuleSet',
    RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
  });
});

test('oversized bodies are blocked everywhere except the SAML, SCIM and admin API paths', () => {
  const r = rule(RULE_NAMES.oversized);
  expect(r.Action).toEqual({ Block: {} });
  expect(r.Priority).toBeGreaterThan(rule(RULE_NAMES.common).Priority);
  const [label, not] = r.Statement.AndStatement.Statements;
  expect(label).toEqual({ LabelMatchStatement: { Scope: 'LABEL', Key: OVERSIZED_BODY_LABEL } });
  expect(not.NotStatement.Statement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement.SearchString)).toEqual([
    ...LARGE_BODY_PATHS,
  ]);
  expect(LARGE_BODY_PATHS).toEqual(expect.arrayContaining(['/sso/saml/', '/scim/v2/']));
});

test('known bad inputs rule set runs', () => {
  expect(rule(RULE_NAMES.badInputs).Statement.ManagedRuleGroupStatement.Name).toBe('AWSManagedRulesKnownBadInputsRuleSet');
});

test('sampled requests are off (they would show bearer tokens and SAML responses in the console)', () => {
  for (const r of rules()) expect((r as unknown as { VisibilityConfig: { SampledRequestsEnabled: boolean } }).VisibilityConfig.SampledRequestsEnabled).toBe(false);
});

test('waf=false leaves the web ACL out', () => {
  const t = synthStack({ stage: 'dev', waf: 'false' }).template;
  t.resourceCountIs('AWS::WAFv2::WebACL', 0);
  t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
});
