// The CDK stack and the route table agree: one method per route, no other; protected routes use the authorizer.
import { beforeAll, expect, test } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IdentityStack } from '../../infra/stacks/identity-stack.ts';
import { routes } from '../../shared/http/routes/index.ts';

let template: Template;

beforeAll(() => {
  // Bundling skipped: these tests read the template, not the code assets.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new IdentityStack(app, 'Test', { stage: 'dev' }));
});

function resourcePath(logicalId: string, resources: Record<string, { Properties: Record<string, unknown> }>): string {
  if (!resources[logicalId]) return '';
  const props = resources[logicalId].Properties;
  const parent = props.ParentId as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const parentPath = parent.Ref ? resourcePath(parent.Ref, resources) : '';
  return `${parentPath}/${String(props.PathPart)}`;
}

function methods(): { method: string; path: string; authorizationType: string }[] {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  return Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => {
    const props = m.Properties as { HttpMethod: string; ResourceId: { Ref: string }; AuthorizationType: string };
    return {
      method: props.HttpMethod,
      path: resourcePath(props.ResourceId.Ref, resources as never),
      authorizationType: props.AuthorizationType,
    };
  });
}

test('exactly one API method per route in the route table, and no other', () => {
  const deployed = methods()
    .map((m) => `${m.method} ${m.path}`)
    .sort();
  const expected = routes.map((r) => `${r.method} ${r.path}`).sort();
  expect(deployed).toEqual(expected);
});

test('admin and SCIM routes use the Lambda authorizer; the others do not', () => {
  for (const m of methods()) {
    const route = routes.find((r) => r.method === m.method && r.path === m.path);
    const expected = route?.auth === 'admin' || route?.auth === 'scim' ? 'CUSTOM' : 'NONE';
    expect([m.method, m.path, m.authorizationType]).toEqual([m.method, m.path, expected]);
  }
});

test('the authorizer caches by Authorization header and source IP for 60 s', () => {
  template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
    Type: 'REQUEST',
    IdentitySource: 'method.request.header.Authorization,context.identity.sourceIp',
    AuthorizerResultTtlInSeconds: 60,
  });
});

test('every route has its own throttling on the stage', () => {
  const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]?.Properties as {
    MethodSettings: { HttpMethod: string; ResourcePath: string; ThrottlingRateLimit?: number }[];
  };
  for (const route of routes) {
    const setting = stage.MethodSettings.find(
      (s) => s.HttpMethod === route.method && s.ResourcePath === `/${route.path.replace(/\//g, '~1')}`,
    );
    expect([route.id, setting?.ThrottlingRateLimit]).toEqual([route.id, route.throttle.rateLimit]);
  }
});

test('the table keeps its data: PITR, deletion protection, retain, TTL, streams', () => {
  template.hasResource('AWS::DynamoDB::GlobalTable', {
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: Match.objectLike({
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    }),
  });
});

test('functions run Node.js 22 on arm64', () => {
  const fns = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties as Record<string, unknown>);
  expect(fns.length).toBe(routes.length + 1);
  for (const fn of fns) {
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
  }
});
