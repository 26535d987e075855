// cdk-nag's AwsSolutions pack over the stack in each configuration: no unacknowledged finding, and every
// acknowledgement carries a written reason.
import { expect, test } from '@jest/globals';
import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { RawContext } from '../../infra/config.ts';
import { synthStack } from './synth.ts';

const CONFIGURATIONS: { name: string; context: RawContext; env?: { account: string; region: string } }[] = [
  { name: 'dev defaults', context: { stage: 'dev' } },
  { name: 'prod defaults', context: { stage: 'prod' } },
  { name: 'dev without WAF', context: { stage: 'dev', waf: 'false' } },
  {
    name: 'prod with everything on',
    context: {
      stage: 'prod',
      xray: 'true',
      tableCmk: 'true',
      contributorInsights: 'true',
      detailedMetrics: 'true',
      alarmEmail: 'ops@example.com',
      domainName: 'id.example.com',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-123456789012',
    },
    env: { account: '123456789012', region: 'eu-west-1' },
  },
];

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      // Stored by aws-cdk-lib as { "Annotation::<rule id>": reason }.
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason })),
  );
}

for (const { name, context, env } of CONFIGURATIONS) {
  test(`AwsSolutions: no unacknowledged findings (${name})`, () => {
    const { stack } = synthStack(context, env);
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    const findings = report.violations.map((v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });
}

test('every acknowledgement has a written reason', () => {
  const { stack } = synthStack(CONFIGURATIONS[3]!.context, CONFIGURATIONS[3]!.env);
  const acks = acknowledgements(stack);
  expect(acks.length).toBeGreaterThan(0);
  for (const a of acks) expect([a.path, a.id, a.reason.length >= 40]).toEqual([a.path, a.id, true]);
});

test('the checks do find problems (an unacknowledged wildcard policy is reported), in the nested route stacks too', () => {
  const { stack } = synthStack({ stage: 'dev' });
  const fn = stack.functions.values().next().value!;
  // Route functions live in nested stacks: the checks over the parent reach them.
  expect(Stack.of(fn)).not.toBe(stack);
  expect(stack.routeStacks).toContain(Stack.of(fn));
  fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
  const report = new AwsSolutionsChecks(stack).validateScope(stack);
  expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-IAM5/)]));
});
