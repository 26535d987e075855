// The CDK stack and the route table agree: one method per route, no other; each method invokes its own route's
// function; protected routes use the authorizer; throttling per route comes from the table.
import { beforeAll, expect, test } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IdentityStack } from '../../infra/stacks/identity-stack.ts';
import { routes } from '../../shared/http/routes/index.ts';
import { resourcePath, synthStack, type Synth } from './synth.ts';

let template: Template;
let stack: IdentityStack;
let synth: Synth;

beforeAll(() => {
  synth = synthStack({ stage: 'dev' });
  ({ template, stack } = synth);
});

interface DeployedMethod {
  method: string;
  path: string;
  authorizationType: string;
  integrationUri: unknown;
  /** The nested stack that holds the method. */
  stackPath: string;
}

/** Methods live in the nested route stacks; their resources (paths) in the parent. */
function methods(): DeployedMethod[] {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  expect(Object.keys(template.findResources('AWS::ApiGateway::Method'))).toEqual([]);
  return synth.nested.flatMap(({ stack: nested, template: t }) => Object.values(t.findResources('AWS::ApiGateway::Method')).map((m) => {
    const props = m.Properties as {
      HttpMethod: string;
      ResourceId: { Ref: string };
      AuthorizationType: string;
      Integration: { Uri: unknown };
    };
    const resourceId = synth.inParent(nested, props.ResourceId) as { Ref: string };
    return {
      method: props.HttpMethod,
      path: resourcePath(resourceId.Ref, resources as never),
      authorizationType: props.AuthorizationType,
      integrationUri: props.Integration.Uri,
      stackPath: nested.node.path,
    };
  }));
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
    const logicalId = synth.logicalId(fn!.fn.node.defaultChild as CfnFunction);
    const method = deployed.find((m) => m.method === route.method && m.path === route.path);
    // The method sits next to its function, in the same nested stack, and invokes it.
    expect([route.id, method?.stackPath]).toEqual([route.id, Stack.of(fn!).node.path]);
    expect([route.id, JSON.stringify(method?.integrationUri)]).toEqual([route.id, expect.stringContaining(`"${logicalId}"`)]);
  }
  expect(new Set(deployed.map((m) => `${m.stackPath} ${JSON.stringify(m.integrationUri)}`)).size).toBe(routes.length);
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
  const fns = synth.templates.flatMap((t) => Object.values(t.findResources('AWS::Lambda::Function')).map((f) => f.Properties as Record<string, unknown>));
  expect(fns.length).toBe(routes.length + 1);
  // The authorizer in the parent, each route's function in a nested stack.
  expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(1);
  for (const fn of fns) {
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
  }
});

/** Resources, parameters and outputs of every stack: CloudFormation allows 500, 200 and 200 per template. */
function stackSizes(s: Synth): { stack: string; resources: number; parameters: number; outputs: number }[] {
  return [
    { stack: s.stack.node.path, template: s.template },
    ...s.nested.map((n) => ({ stack: n.stack.node.path, template: n.template })),
  ].map(({ stack: path, template: t }) => {
    const json = t.toJSON();
    return {
      stack: path,
      resources: Object.keys(json.Resources ?? {}).length,
      parameters: Object.keys(json.Parameters ?? {}).length,
      outputs: Object.keys(json.Outputs ?? {}).length,
    };
  });
}

const withinLimits = (sizes: ReturnType<typeof stackSizes>) =>
  sizes.filter((z) => z.resources >= 500 || z.parameters >= 200 || z.outputs >= 200);

test("every stack, parent and nested, stays inside CloudFormation's limits with the real route table", () => {
  const sizes = stackSizes(synth);
  expect(sizes.length).toBeGreaterThan(1);
  expect(withinLimits(sizes)).toEqual([]);
  // The parent holds the shared part plus one API resource per path segment: far from the limit.
  expect(sizes[0]!.resources).toBeLessThan(150);
});

test('a route table of 300 more routes, each on its own path, still fits every stack', () => {
  const base = routes.find((r) => r.table === 'read')!;
  const extra = Array.from({ length: 300 }, (_, i) => ({ ...base, id: `extra-${i}`, path: `/api/v1/extra-${i}` }));
  const grown = synthStack({ stage: 'prod', xray: 'true' }, undefined, [...routes, ...extra]);
  const sizes = stackSizes(grown);
  expect(withinLimits(sizes)).toEqual([]);
  expect(grown.stack.functions.size).toBe(routes.length + 300);
  const functions = grown.templates.reduce((n, t) => n + Object.keys(t.findResources('AWS::Lambda::Function')).length, 0);
  expect(functions).toBe(routes.length + 301);
  // Per route the parent grows by at most its API resource (method, function and the rest are nested).
  expect(sizes[0]!.resources - stackSizes(synth)[0]!.resources).toBeLessThanOrEqual(300 + Math.ceil(300 / 50) + 5);
}, 400_000);
