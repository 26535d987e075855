// Synthesises the stack for infra tests: bundling skipped (the tests read the template, not the code assets).
// The parent stack holds the API, table, secrets, topic and dashboard; each route's function, role, log group, method,
// permission and alarm live in a nested stack (infra/stacks/route-stack.ts). Helpers here read the right template and
// follow nested-stack parameters back to what the parent passes in.
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { stageConfig, type RawContext } from '../../infra/config.ts';
import { IdentityStack } from '../../infra/stacks/identity-stack.ts';
import type { RouteStack } from '../../infra/stacks/route-stack.ts';
import type { RouteDefinition } from '../../shared/http/routes/index.ts';

export interface Synth {
  stack: IdentityStack;
  /** The parent stack's template. */
  template: Template;
  /** Each nested route stack with its template. */
  nested: { stack: RouteStack; template: Template }[];
  /** The parent's template and every nested one. */
  templates: Template[];
  /** The template of the stack the construct belongs to. */
  templateOf(construct: IConstruct): Template;
  /** Logical id of the construct's CloudFormation resource (its default child) in its own stack. */
  logicalId(construct: IConstruct): string;
  /** A value from a nested template with every `{ Ref: <nested parameter> }` replaced by what the parent passes in. */
  inParent(construct: IConstruct, value: unknown): unknown;
}

export function synthStack(
  context: RawContext = {},
  env?: { account: string; region: string },
  routes?: readonly RouteDefinition[],
): Synth {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new IdentityStack(app, 'Test', {
    config: stageConfig(context),
    ...(env ? { env } : {}),
    ...(routes ? { routes } : {}),
  });
  const template = Template.fromStack(stack);
  const nested = stack.routeStacks.map((s) => ({ stack: s, template: Template.fromStack(s) }));
  const templateOf = (construct: IConstruct): Template => {
    const owner = Stack.of(construct);
    if (owner === stack) return template;
    const found = nested.find((n) => n.stack === owner);
    if (!found) throw new Error(`${construct.node.path} is in no synthesised stack`);
    return found.template;
  };
  const logicalId = (construct: IConstruct): string => {
    const element = construct instanceof CfnElement ? construct : (construct.node.defaultChild as CfnElement);
    return Stack.of(element).getLogicalId(element);
  };
  const inParent = (construct: IConstruct, value: unknown): unknown => {
    const owner = Stack.of(construct);
    if (owner === stack) return value;
    const nestedStack = owner as RouteStack;
    const stackResource = template.toJSON().Resources[logicalId(nestedStack.nestedStackResource!)];
    const passed = (stackResource.Properties.Parameters ?? {}) as Record<string, unknown>;
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const ref = (v as { Ref?: unknown }).Ref;
        if (typeof ref === 'string' && Object.keys(v).length === 1 && ref in passed) return passed[ref];
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      }
      return v;
    };
    return walk(value);
  };
  return { stack, template, nested, templates: [template, ...nested.map((n) => n.template)], templateOf, logicalId, inParent };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Full path (`/api/v1/users/{id}`) of an API Gateway resource, walking ParentId up to the root. */
export function resourcePath(logicalId: string, resources: Resources): string {
  const resource = resources[logicalId];
  if (!resource) return '';
  const parent = resource.Properties.ParentId as { Ref?: string };
  const parentPath = parent.Ref ? resourcePath(parent.Ref, resources) : '';
  return `${parentPath}/${String(resource.Properties.PathPart)}`;
}

/** Every resource of a type across templates, as [template, logical id, properties]. */
export function resourcesOfType(templates: readonly Template[], type: string): [Template, string, Record<string, any>][] {
  return templates.flatMap((t) =>
    Object.entries(t.findResources(type)).map(([id, r]) => [t, id, r.Properties as Record<string, any>] as [Template, string, Record<string, any>]),
  );
}
