// Alarms (to one SNS topic) and the dashboard.
import { beforeAll, expect, test } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IdentityStack } from '../../infra/stacks/identity-stack.ts';
import { routes } from '../../shared/http/routes/index.ts';
import { synthStack, type Synth } from './synth.ts';

let template: Template;
let stack: IdentityStack;
let synth: Synth;

beforeAll(() => {
  synth = synthStack({ stage: 'prod', alarmEmail: 'ops@example.com' });
  ({ template, stack } = synth);
});

/**
 * Every alarm, the parent's and the route stacks', as the parent sees it (nested parameters replaced). Per-route alarms
 * read their function's logical id in their own stack, so each carries the stack it was found in.
 */
const alarmsWithStack = () => [
  ...Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => ({ stack: '', props: a.Properties as Record<string, any> })),
  ...synth.nested.flatMap((n) =>
    Object.values(n.template.findResources('AWS::CloudWatch::Alarm')).map((a) => ({
      stack: n.stack.node.path,
      props: synth.inParent(n.stack, a.Properties) as Record<string, any>,
    })),
  ),
];
const alarms = () => alarmsWithStack().map((a) => a.props);
const topicId = () => Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;

test('every alarm notifies the alarm topic, on alarm and on recovery', () => {
  expect(alarms().length).toBeGreaterThan(routes.length);
  for (const a of alarms()) {
    expect(a.AlarmActions).toEqual([{ Ref: topicId() }]);
    expect(a.OKActions).toEqual([{ Ref: topicId() }]);
  }
});

test('alarmEmail subscribes that address; without it there is no subscription', () => {
  template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId() } });
  synthStack({ stage: 'prod' }).template.resourceCountIs('AWS::SNS::Subscription', 0);
});

test('the alarm topic refuses non-TLS publishing', () => {
  const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0]!.Properties as Record<string, any>;
  expect(JSON.stringify(policy.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
});

test("each route has an alarm on its own function's errors and throttles", () => {
  for (const route of routes) {
    const fn = stack.functions.get(route.id)!.fn;
    const fnId = synth.logicalId(fn);
    const onFn = alarmsWithStack()
      .filter((a) => a.stack === Stack.of(fn).node.path && JSON.stringify(a.props.Metrics ?? []).includes(`"${fnId}"`))
      .map((a) => a.props);
    expect([route.id, onFn.length]).toEqual([route.id, 1]);
    const metrics = onFn[0]!.Metrics as { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('errors + throttles');
    expect(metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort()).toEqual(['Errors', 'Throttles']);
    expect(onFn[0]!.Threshold).toBe(1);
  }
});

test('API alarms: 5XX count, 4XX share, 429s, authorizer failures', () => {
  const byMetric = (name: string) => alarms().filter((a) => a.MetricName === name || JSON.stringify(a.Metrics ?? []).includes(`"${name}"`));
  expect(byMetric('5XXError')).toHaveLength(1);
  const share = byMetric('4XXError');
  expect(share).toHaveLength(1);
  expect(JSON.stringify(share[0]!.Metrics)).toContain('IF(requests >= 100, 100 * clientErrors / requests, 0)');
  expect(byMetric('Throttled429')).toHaveLength(1);
  expect(byMetric('AuthorizerFailures')).toHaveLength(1);
});

test('429s and authorizer failures are counted from the JSON access log', () => {
  const accessLogId = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]!.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
  const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((f) => f.Properties as Record<string, any>);
  const byName = (n: string) => filters.find((f) => f.MetricTransformations[0].MetricName === n)!;
  expect(byName('Throttled429').FilterPattern).toBe('{ $.status = "429" }');
  expect(byName('AuthorizerFailures').FilterPattern).toBe(
    '{ ($.errorType = "AUTHORIZER_FAILURE") || ($.errorType = "AUTHORIZER_CONFIGURATION_ERROR") }',
  );
  for (const f of filters) expect(f.LogGroupName).toEqual({ Ref: accessLogId });
});

test('DynamoDB alarms: throttle events and system errors', () => {
  const text = JSON.stringify(alarms());
  expect(text).toContain('ReadThrottleEvents');
  expect(text).toContain('WriteThrottleEvents');
  const systemErrors = alarms().filter((a) => JSON.stringify(a.Metrics ?? []).includes('"SystemErrors"'));
  expect(systemErrors).toHaveLength(1);
});

test('a CloudWatch dashboard shows every route', () => {
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody);
  for (const route of routes) expect([route.id, body.includes(`\\"label\\":\\"${route.id}\\"`)]).toEqual([route.id, true]);
  // The alarm status widgets list every alarm, the route alarms of the nested stacks included (via their outputs).
  const listed = (body.match(/arn:aws:cloudwatch|Outputs\.[A-Za-z0-9]+Arn|"Fn::GetAtt":\["[A-Za-z0-9]+","Arn"\]/g) ?? []).length;
  expect(listed).toBeGreaterThanOrEqual(alarms().length);
});

test("the dashboard's alarm status lists every alarm, each route's alarm from its nested stack included", () => {
  const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody);
  for (const nested of synth.nested) {
    const outputs = Object.entries((nested.template.toJSON().Outputs ?? {}) as Record<string, { Value: unknown }>);
    for (const [routeId, alarm] of nested.stack.alarms) {
      const alarmId = synth.logicalId(alarm);
      const output = outputs.find(([, o]) => JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [alarmId, 'Arn'] }));
      expect([routeId, output !== undefined]).toEqual([routeId, true]);
      expect([routeId, body.includes(`"Outputs.${output![0]}"`)]).toEqual([routeId, true]);
    }
  }
  for (const a of Object.keys(template.findResources('AWS::CloudWatch::Alarm'))) expect(body).toContain(`{"Fn::GetAtt":["${a}","Arn"]}`);
});
