// The table keeps its data and is encrypted: one invariant per test, for each stage where they differ.
import { beforeAll, expect, test } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthStack } from './synth.ts';

let dev: Template;
let prod: Template;

beforeAll(() => {
  dev = synthStack({ stage: 'dev' }).template;
  prod = synthStack({ stage: 'prod' }).template;
});

const replica = (template: Template) => {
  const table = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))[0]!;
  return (table.Properties as { Replicas: Record<string, unknown>[] }).Replicas[0]!;
};

test('one table, on-demand', () => {
  dev.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
  dev.resourceCountIs('AWS::DynamoDB::Table', 0);
  dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', { BillingMode: 'PAY_PER_REQUEST' });
});

test('point-in-time recovery in every stage', () => {
  for (const t of [dev, prod]) {
    expect(replica(t).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  }
});

test('deletion protection in prod; dev can be torn down by choice', () => {
  expect(replica(prod).DeletionProtectionEnabled).toBe(true);
  expect(replica(dev).DeletionProtectionEnabled).toBe(false);
  const forced = synthStack({ stage: 'dev', deletionProtection: 'true' }).template;
  expect(replica(forced).DeletionProtectionEnabled).toBe(true);
});

test('the table is retained on stack deletion and replacement in every stage', () => {
  for (const t of [dev, prod]) {
    t.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  }
});

test('TTL on the ttl attribute', () => {
  dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } });
});

test('streams with old and new images (audit trail consumers)', () => {
  dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
});

test('encrypted with the AWS-owned key by default, no KMS key created', () => {
  const sse = (Object.values(dev.findResources('AWS::DynamoDB::GlobalTable'))[0]!.Properties as { SSESpecification?: unknown })
    .SSESpecification;
  // SSEEnabled false is DynamoDB's spelling of "AWS-owned key" (data is always encrypted at rest).
  expect(sse).toEqual({ SSEEnabled: false });
  dev.resourceCountIs('AWS::KMS::Key', 0);
});

test('tableCmk=true encrypts with a retained, rotating customer-managed key', () => {
  const { template } = synthStack({ stage: 'prod', tableCmk: 'true' }, { account: '123456789012', region: 'eu-west-1' });
  template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { SSESpecification: { SSEEnabled: true, SSEType: 'KMS' } });
  const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0]!;
  expect(replica(template).SSESpecification).toEqual({ KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
});

test('tableCmk=true needs a region-bound stack, and says so', () => {
  expect(() => synthStack({ stage: 'prod', tableCmk: 'true' })).toThrow(/tableCmk needs a region/);
});

test('contributor insights only when asked for', () => {
  expect(replica(dev).ContributorInsightsSpecification).toBeUndefined();
  const { template } = synthStack({ stage: 'dev', contributorInsights: true });
  expect(replica(template).ContributorInsightsSpecification).toEqual(expect.objectContaining({ Enabled: true }));
});
