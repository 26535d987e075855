// The API stage: authorizer wiring, gateway responses, JSON access logs without secrets, tracing, custom domain and
// outputs.
import { beforeAll, expect, test } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { ACCESS_LOG_FIELDS } from '../../infra/stacks/identity-stack.ts';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../shared/config.ts';
import { GATEWAY_RESPONSES, gatewayResponseBody, gatewayResponseHeaders } from '../../shared/http/gateway-responses.ts';
import { resourcesOfType, synthStack, type Synth } from './synth.ts';

let template: Template;
let synth: Synth;

beforeAll(() => {
  synth = synthStack({ stage: 'prod' });
  template = synth.template;
});

const stageProps = (t: Template = template) =>
  Object.values(t.findResources('AWS::ApiGateway::Stage'))[0]!.Properties as Record<string, any>;

test('the authorizer is a REQUEST authorizer cached per Authorization header and source IP for AUTHORIZER_CACHE_TTL_SECONDS', () => {
  template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
  template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
    Type: 'REQUEST',
    IdentitySource: 'method.request.header.Authorization,context.identity.sourceIp',
    AuthorizerResultTtlInSeconds: AUTHORIZER_CACHE_TTL_SECONDS,
  });
});

test('every gateway response from shared/http/gateway-responses.ts is installed with its status and SCIM error body', () => {
  for (const response of GATEWAY_RESPONSES) {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: response.type,
      StatusCode: String(response.status),
      ResponseTemplates: { 'application/json': gatewayResponseBody(response) },
      ResponseParameters: Object.fromEntries(
        Object.entries(gatewayResponseHeaders(response)).map(([k, v]) => [`gatewayresponse.header.${k}`, `'${v}'`]),
      ),
    });
  }
  template.resourceCountIs('AWS::ApiGateway::GatewayResponse', GATEWAY_RESPONSES.length);
});

test('the stage writes JSON access logs to a log group with retention', () => {
  const settings = stageProps().AccessLogSetting;
  const parsed = JSON.parse(settings.Format);
  expect(parsed).toEqual(ACCESS_LOG_FIELDS);
  const logGroupId = settings.DestinationArn['Fn::GetAtt'][0];
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  expect((template.toJSON().Resources[logGroupId].Properties as { RetentionInDays: number }).RetentionInDays).toBe(90);
});

test('access logs carry no headers, query strings or bodies', () => {
  const format = String(stageProps().AccessLogSetting.Format);
  for (const forbidden of ['Authorization', 'authorization', 'header', 'querystring', 'queryString', '$input', 'requestOverride', 'body', 'cookie']) {
    expect([forbidden, format.includes(forbidden)]).toEqual([forbidden, false]);
  }
  // $context.path is the path only; the full request URI with its query string is not logged.
  expect(format).not.toContain('$context.requestUri');
});

test('execution logs are errors only and never include request or response data', () => {
  const all = stageProps().MethodSettings.find((s: { ResourcePath: string }) => s.ResourcePath === '/*');
  expect(all).toMatchObject({ LoggingLevel: 'ERROR', DataTraceEnabled: false });
});

test('every function has its own log group with the stage retention', () => {
  const fns = resourcesOfType(synth.templates, 'AWS::Lambda::Function');
  expect(fns.length).toBeGreaterThan(1);
  const logGroups = new Set<string>();
  for (const [t, , fn] of fns) {
    // The log group is in the function's own stack (nested for routes, the parent for the authorizer).
    const logGroupId = fn.LoggingConfig.LogGroup.Ref;
    expect(t.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(90);
    logGroups.add(`${JSON.stringify(t.toJSON().Resources[logGroupId])}${logGroupId}`);
  }
  expect(logGroups.size).toBe(fns.length);
  const dev = synthStack({ stage: 'dev', logRetentionDays: '7' });
  const devLogGroups = resourcesOfType(dev.templates, 'AWS::Logs::LogGroup');
  expect(devLogGroups.length).toBeGreaterThan(fns.length);
  for (const [, , lg] of devLogGroups) {
    expect((lg as { RetentionInDays: number }).RetentionInDays).toBe(7);
  }
});

test('X-Ray is off by default and on with xray=true, for the stage and every function', () => {
  expect(stageProps().TracingEnabled).toBe(false);
  for (const [, , fn] of resourcesOfType(synth.templates, 'AWS::Lambda::Function')) {
    expect((fn as { TracingConfig?: { Mode: string } }).TracingConfig?.Mode ?? 'PassThrough').toBe('PassThrough');
  }
  const traced = synthStack({ stage: 'prod', xray: 'true' });
  expect(stageProps(traced.template).TracingEnabled).toBe(true);
  const tracedFns = resourcesOfType(traced.templates, 'AWS::Lambda::Function');
  expect(tracedFns.length).toBe(traced.stack.functions.size + 1);
  for (const [, , fn] of tracedFns) {
    expect((fn as { TracingConfig: { Mode: string } }).TracingConfig.Mode).toBe('Active');
  }
});

test('outputs: ApiUrl, OperatorKeySecretArn, TableName, DashboardUrl', () => {
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
  expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'OperatorKeySecretArn', 'TableName', 'DashboardUrl']));
  expect(JSON.stringify(outputs.ApiUrl!.Value)).toContain('.execute-api.');
  const [dashboardId, dashboard] = Object.entries(template.findResources('AWS::CloudWatch::Dashboard'))[0]!;
  expect((dashboard.Properties as { DashboardName: string }).DashboardName).toBe('identity-prod');
  expect(JSON.stringify(outputs.DashboardUrl!.Value)).toContain(`"#dashboards:name=",{"Ref":"${dashboardId}"}`);
});

test('a custom domain serves the API, becomes the public base URL and turns the execute-api endpoint off', () => {
  const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-123456789012';
  const domain = synthStack({ stage: 'prod', domainName: 'id.example.com', certificateArn: arn });
  const t = domain.template;
  t.hasResourceProperties('AWS::ApiGateway::DomainName', {
    DomainName: 'id.example.com',
    RegionalCertificateArn: arn,
    SecurityPolicy: 'TLS_1_2',
    EndpointConfiguration: { Types: ['REGIONAL'] },
  });
  t.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
  expect(t.toJSON().Outputs.ApiUrl.Value).toBe('https://id.example.com');
  let withBaseUrl = 0;
  for (const [, , fn] of resourcesOfType(domain.templates, 'AWS::Lambda::Function')) {
    const env = (fn as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
    if ('PUBLIC_BASE_URL' in env) {
      expect(env.PUBLIC_BASE_URL).toBe('https://id.example.com');
      withBaseUrl += 1;
    }
  }
  expect(withBaseUrl).toBe(domain.stack.functions.size);
  expect(t.toJSON().Outputs.CustomDomainTarget).toBeDefined();
});
