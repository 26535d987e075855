// The CDK stack and the route table agree: one method per route, no other; each method invokes its own route's
// function; protected routes use the authorizer; throttling per route comes from the table.
import { beforeAll, expect, test } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IdentityStack } from '../../infra/stacks/identity-stack.ts';
import { routes } from '../../shared/http/routes/index.ts';
import { resourcePath, synthStack } from './synth.ts';

let template: Template;
let stack: IdentityStack;

beforeAll(() => {
  ({ template, stack } = synthStack({ stage: 'dev' }));
});

interface DeployedMethod {
  method: string;
  path: string;
  authorizationType: string;
  integrationUri: unknown;
}

function methods(): DeployedMethod[] {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  return Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => {
    const props = m.Properties as {
      HttpMethod: string;
      ResourceId: { Ref: string };
      AuthorizationType: string;
      Integration: { Uri: unknown };
    };
    return {
      method: props.HttpMethod,
      path: resourcePath(props.ResourceId.Ref, resources as never),
      authorizationType: props.AuthorizationType,
      integrationUri: props.Integration.Uri,
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

test("each method invokes its own route's function, one function per route", () => {
  const deployed = methods();
  for (const route of routes) {
    const fn = stack.functions.get(route.id);
    const logicalId = stack.getLogicalId(fn!.fn.node.defaultChild as CfnFunction);
    const method = deployed.find((m) => m.method === route.method && m.path === route.path);
    expect([route.id, JSON.stringify(method?.integrationUri)]).toEqual([route.id, expect.stringContaining(`"${logicalId}"`)]);
  }
  expect(new Set(deployed.map((m) => JSON.stringify(m.integrationUri))).size).toBe(routes.length);
});

test('admin and SCIM routes use the Lambda authorizer; the others do not', () => {
  for (const m of methods()) {
    const route = routes.find((r) => r.method === m.method && r.path === m.path);
    const expected = route?.auth === 'admin' || route?.auth === 'scim' ? 'CUSTOM' : 'NONE';
    expect([m.method, m.path, m.authorizationType]).toEqual([m.method, m.path, expected]);
  }
});

test('every route has its own throttling on the stage, from the route table', () => {
  const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]?.Properties as {
    MethodSettings: { HttpMethod: string; ResourcePath: string; ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }[];
  };
  for (const route of routes) {
    const setting = stage.MethodSettings.find(
      (s) => s.HttpMethod === route.method && s.ResourcePath === `/${route.path.replace(/\//g, '~1')}`,
    );
    expect([route.id, setting?.ThrottlingRateLimit, setting?.ThrottlingBurstLimit]).toEqual([
      route.id,
      route.throttle.rateLimit,
      route.throttle.burstLimit,
    ]);
  }
});

test('the stage has a default throttle for anything without its own', () => {
  const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]?.Properties as {
    MethodSettings: { HttpMethod: string; ResourcePath: string; ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }[];
  };
  expect(stage.MethodSettings).toContainEqual(
    expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }),
  );
});

test('functions run Node.js 22 on arm64, one per route plus the authorizer', () => {
  const fns = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties as Record<string, unknown>);
  expect(fns.length).toBe(routes.length + 1);
  for (const fn of fns) {
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
  }
});

test("the stack stays inside CloudFormation's 500-resource limit, with room for 5 more routes", () => {
  const total = Object.keys(template.toJSON().Resources).length;
  const base = routes.find((r) => r.table === 'read')!;
  const extra = Array.from({ length: 5 }, (_, i) => ({ ...base, id: `extra-${i}`, path: `/api/v1/extra-${i}` }));
  const grown = Object.keys(synthStack({ stage: 'dev' }, undefined, [...routes, ...extra]).template.toJSON().Resources).length;
  const perRoute = (grown - total) / extra.length;
  // Function, role (inline policy), log group, invoke permission, method, API resource, alarm.
  expect(perRoute).toBeLessThanOrEqual(7);
  expect(total + 5 * perRoute).toBeLessThan(500);
});
