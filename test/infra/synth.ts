// Synthesises the stack for infra tests: bundling skipped (the tests read the template, not the code assets).
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { stageConfig, type RawContext } from '../../infra/config.ts';
import { IdentityStack } from '../../infra/stacks/identity-stack.ts';
import type { RouteDefinition } from '../../shared/http/routes/index.ts';

export function synthStack(
  context: RawContext = {},
  env?: { account: string; region: string },
  routes?: readonly RouteDefinition[],
): { stack: IdentityStack; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new IdentityStack(app, 'Test', {
    config: stageConfig(context),
    ...(env ? { env } : {}),
    ...(routes ? { routes } : {}),
  });
  return { stack, template: Template.fromStack(stack) };
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
