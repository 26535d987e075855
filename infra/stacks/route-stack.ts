// The per-route resources of a group of routes, in a nested stack of their own: each route's function (with its role,
// inline policy and log group), its API Gateway method with the Lambda permission, and its alarm. The parent stack keeps
// the REST API, its resources (paths), the authorizer, the table, the secrets, the topic and the dashboard; CDK passes
// the ids the methods and policies need in as nested-stack parameters and the function names and alarm ARNs the
// dashboard needs out as outputs. CloudFormation's 500 resources then apply to each stack separately.
import { NestedStack, Validations, type NestedStackProps } from 'aws-cdk-lib';
import {
  AuthorizationType,
  AwsIntegration,
  Method,
  type IAuthorizer,
  type IResource,
  type IntegrationConfig,
} from 'aws-cdk-lib/aws-apigateway';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../../shared/http/routes/types.ts';
import { routeAlarm } from '../constructs/monitoring.ts';
import { RouteFunction, TABLE_ACTIONS, type RouteFunctionProps, type RouteSecret } from '../constructs/route-function.ts';

type SecretName = NonNullable<RouteDefinition['secrets']>[number];

/** `api-keys-create` → `ApiKeysCreate`: logical ids stay stable as long as the route id does. */
export const pascal = (id: string) => id.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());

/**
 * A Lambda proxy integration whose invoke permission names the method on the stage by its (literal) name. CDK's
 * LambdaIntegration names the stage by reference, and from a nested stack that reference would make the nested stack
 * depend on the stage, which depends on the deployment, which depends on the methods in the nested stack: a cycle.
 */
class RouteIntegration extends AwsIntegration {
  constructor(
    private readonly handler: IFunction,
    private readonly stageName: string,
  ) {
    super({ proxy: true, service: 'lambda', path: `2015-03-31/functions/${handler.functionArn}/invocations` });
  }

  override bind(method: Method): IntegrationConfig {
    const config = super.bind(method);
    // No test-invoke permission: one Lambda permission per route instead of two (console test calls are not needed).
    this.handler.addPermission('ApiPermission', {
      principal: new ServicePrincipal('apigateway.amazonaws.com'),
      scope: method,
      sourceArn: method.api.arnForExecuteApi(method.httpMethod, method.resource.path.replace(/\{[^}]*\}/g, '*'), this.stageName),
    });
    return config;
  }
}

export interface RouteStackProps extends NestedStackProps {
  routes: readonly RouteDefinition[];
  /** The API Gateway resource of each route's path (created in the parent; paths are shared between stacks). */
  resourceOf: (route: RouteDefinition) => IResource;
  authorizer: IAuthorizer;
  stageName: string;
  secrets: Record<SecretName, RouteSecret>;
  /** Props every route function shares (table, key, logs, tracing). */
  functionDefaults: Omit<RouteFunctionProps, 'entry' | 'tableActions' | 'secrets' | 'environment' | 'nodeModules'>;
  environment: Record<string, string>;
  alarmTopic: ITopic;
}

export class RouteStack extends NestedStack {
  readonly functions = new Map<string, RouteFunction>();
  readonly methods = new Map<string, Method>();
  readonly alarms = new Map<string, Alarm>();

  constructor(scope: Construct, id: string, props: RouteStackProps) {
    super(scope, id, props);
    for (const route of props.routes) {
      const fn = new RouteFunction(this, `Route${pascal(route.id)}`, {
        ...props.functionDefaults,
        entry: route.entry,
        tableActions: TABLE_ACTIONS[route.table],
        secrets: (route.secrets ?? []).map((name) => props.secrets[name]),
        environment: props.environment,
        ...(route.nodeModules ? { nodeModules: route.nodeModules } : {}),
      });
      this.functions.set(route.id, fn);
      const protectedRoute = route.auth === 'admin' || route.auth === 'scim';
      const method = new Method(fn, 'Method', {
        resource: props.resourceOf(route),
        httpMethod: route.method,
        integration: new RouteIntegration(fn.fn, props.stageName),
        options: {
          operationName: route.id,
          ...(protectedRoute
            ? { authorizer: props.authorizer, authorizationType: AuthorizationType.CUSTOM }
            : { authorizationType: AuthorizationType.NONE }),
        },
      });
      this.methods.set(route.id, method);
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are SCIM clients and admin tools with API keys (checked by the Lambda REQUEST authorizer), the ' +
          'operator key, or browsers in an SSO flow; there are no Cognito users.',
      });
      if (!protectedRoute) {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.auth === 'operator'
              ? `${route.id} is checked by its handler against the operator key in Secrets Manager (constant-time).`
              : `${route.id} is a public browser/IdP step of the SSO flow (login page, SAML ACS, OIDC callback); the ` +
                'handler verifies the IdP response or session itself.',
        });
      }
      this.alarms.set(route.id, routeAlarm(this, route.id, fn.fn, props.alarmTopic));
    }
  }
}

/** Routes per nested stack: each route adds ~6 resources and 2 outputs (function name, alarm ARN) to its stack. */
export const ROUTES_PER_STACK = 50;

/**
 * Routes grouped by surface (admin, scim, browser) in the route table's order, cut into stacks of at most
 * ROUTES_PER_STACK: `AdminRoutes`, `AdminRoutes2`, … A route keeps its stack as long as the routes of its surface before
 * it do not grow past a stack boundary; moving to another stack replaces its function, method and alarm (no data lost).
 */
export function routeGroups(routes: readonly RouteDefinition[], perStack = ROUTES_PER_STACK): { id: string; routes: RouteDefinition[] }[] {
  const bySurface = new Map<string, RouteDefinition[]>();
  for (const route of routes) bySurface.set(route.surface, [...(bySurface.get(route.surface) ?? []), route]);
  return [...bySurface].flatMap(([surface, list]) =>
    Array.from({ length: Math.ceil(list.length / perStack) }, (_, i) => ({
      id: `${pascal(surface)}Routes${i === 0 ? '' : i + 1}`,
      routes: list.slice(i * perStack, (i + 1) * perStack),
    })),
  );
}
