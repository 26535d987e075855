// Stage configuration from CDK context: defaults per stage, CLI strings and cdk.json values, and clear refusals.
import { expect, test } from '@jest/globals';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { stageConfig } from '../../infra/config.ts';

test('dev is the default stage', () => {
  expect(stageConfig({}).stage).toBe('dev');
});

test('prod defaults: deletion protection, WAF, three months of logs', () => {
  expect(stageConfig({ stage: 'prod' })).toMatchObject({
    deletionProtection: true,
    waf: true,
    logRetention: RetentionDays.THREE_MONTHS,
  });
});

test('flags accept the strings the CLI passes and the booleans cdk.json holds', () => {
  expect(stageConfig({ waf: 'false' }).waf).toBe(false);
  expect(stageConfig({ waf: false }).waf).toBe(false);
  expect(stageConfig({ xray: 'true' }).xray).toBe(true);
  expect(() => stageConfig({ waf: 'no' })).toThrow(/waf must be true or false/);
});

test('an unknown stage is refused', () => {
  expect(() => stageConfig({ stage: 'production' })).toThrow(/stage must be dev or prod/);
});

test('log retention must be a CloudWatch value', () => {
  expect(stageConfig({ logRetentionDays: '30' }).logRetention).toBe(RetentionDays.ONE_MONTH);
  expect(() => stageConfig({ logRetentionDays: '31' })).toThrow(/logRetentionDays/);
});

test('custom domain and certificate go together', () => {
  const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-123456789012';
  expect(stageConfig({ domainName: 'id.example.com', certificateArn: arn })).toMatchObject({
    domainName: 'id.example.com',
    certificateArn: arn,
  });
  expect(() => stageConfig({ domainName: 'id.example.com' })).toThrow(/domainName and certificateArn/);
  expect(() => stageConfig({ certificateArn: arn })).toThrow(/domainName and certificateArn/);
  expect(() => stageConfig({ domainName: 'https://id.example.com', certificateArn: arn })).toThrow(/domainName is not valid/);
});

test('WAF limits respect the rate-based rule minimum', () => {
  expect(stageConfig({ wafLoginRateLimit: '100' }).wafLoginRateLimit).toBe(100);
  expect(() => stageConfig({ wafLoginRateLimit: '5' })).toThrow(/wafLoginRateLimit/);
});

test('alarm email is optional and checked', () => {
  expect(stageConfig({}).alarmEmail).toBeUndefined();
  expect(stageConfig({ alarmEmail: 'ops@example.com' }).alarmEmail).toBe('ops@example.com');
  expect(() => stageConfig({ alarmEmail: 'ops' })).toThrow(/alarmEmail/);
});
