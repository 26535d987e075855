// The service: one DynamoDB table and a REST API whose every route (from the route table) is its own Lambda, behind
// per-route throttling, AWS WAF and the API-key authorizer; alarms and a dashboard. Nothing here lists routes by hand.
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  ResponseType,
  RestApi,
  SecurityPolicy,
  type IResource,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../shared/config.ts';
import { GATEWAY_RESPONSES, gatewayResponseBody, gatewayResponseHeaders } from '../../shared/http/gateway-responses.ts';
import { routes as routeTable, type RouteDefinition } from '../../shared/http/routes/index.ts';
import type { StageConfig } from '../config.ts';
import { ApiWebAcl, RULE_NAMES } from '../constructs/api-web-acl.ts';
import { DataTable } from '../constructs/data-table.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import { AUTHORIZER_TABLE_ACTIONS, RouteFunction, type RouteSecret } from '../constructs/route-function.ts';
import { pascal, routeGroups, RouteStack } from './route-stack.ts';

export interface IdentityStackProps extends StackProps {
  config: StageConfig;
  /** The route table; tests pass a variant, the app always the real one. */
  routes?: readonly RouteDefinition[];
}

type SecretName = NonNullable<RouteDefinition['secrets']>[number];


/**
 * The stage's access log, one JSON object per request. Deliberately absent: headers (Authorization, Cookie), query
 * strings (OIDC `code`/`state`, tokens), bodies. `path` is `$context.path`, which has no query string.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  errorType: '$context.error.responseType',
  authorizerStatus: '$context.authorizer.status',
  authorizerLatencyMs: '$context.authorizer.latency',
  accountId: '$context.authorizer.accountId',
  keyId: '$context.authorizer.keyId',
  wafStatus: '$context.waf.status',
  xrayTraceId: '$context.xrayTraceId',
} as const;

export class IdentityStack extends Stack {
  readonly api: RestApi;
  readonly dataTable: DataTable;
  /** Every route's function, by route id; each lives in one of routeStacks. */
  readonly functions = new Map<string, RouteFunction>();
  readonly routeStacks: RouteStack[] = [];
  readonly authorizerFunction: RouteFunction;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const { config } = props;
    const routes = props.routes ?? routeTable;
    const prod = config.stage === 'prod';
    const keepInProd = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    if (config.tableCmk && Token.isUnresolved(this.region)) {
      // TableV2 renders the replica's KMS key per region; CDK_DEFAULT_REGION is set whenever `cdk deploy` has credentials.
      throw new Error('Context tableCmk needs a region-bound stack: deploy with AWS credentials or set CDK_DEFAULT_REGION');
    }

    this.dataTable = new DataTable(this, 'Data', {
      deletionProtection: config.deletionProtection,
      customerManagedKey: config.tableCmk,
      contributorInsights: config.contributorInsights,
    });
    const table = this.dataTable.table;

    const operatorKey = new Secret(this, 'OperatorKey', {
      description: 'Operator key: creates accounts (POST /api/v1/accounts)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: keepInProd,
    });
    // Kept in every stage like the table: without it the IdP client secrets sealed in the table cannot be opened.
    // shared/auth/secret-box.ts hashes this generated value (64 × [A-Za-z0-9], ~380 bits) into its AES-256-GCM key.
    const idpSecretKey = new Secret(this, 'IdpSecretKey', {
      description: 'Key material that seals IdP client secrets stored in the table (AES-256-GCM, shared/auth/secret-box.ts)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(operatorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The operator key is rotated by the operator (put-secret-value, see README Operations); functions read it once ' +
        'per container, so new containers pick up a new value. A rotation Lambda would add a function that can write it.',
    });
    Validations.of(idpSecretKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'This key seals the IdP client secrets stored in the table; replacing it automatically would make every sealed ' +
        'secret unreadable. Rotation means re-sealing, an operator task (README Operations).',
    });
    const secrets: Record<SecretName, RouteSecret> = {
      operatorKey: { env: 'OPERATOR_KEY_SECRET_ARN', secret: operatorKey },
      idpSecrets: { env: 'IDP_SECRET_KEY_ARN', secret: idpSecretKey },
    };

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.logRetention, removalPolicy: keepInProd });
    const certificate = config.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn)
      : undefined;

    this.api = new RestApi(this, 'Api', {
      restApiName: `identity-${config.stage}`,
      description: `Identity service (${config.stage}): SSO, SCIM 2.0 and the admin API`,
      endpointTypes: [EndpointType.REGIONAL],
      ...(config.domainName && certificate
        ? {
            domainName: {
              domainName: config.domainName,
              certificate,
              endpointType: EndpointType.REGIONAL,
              securityPolicy: SecurityPolicy.TLS_1_2,
            },
            // One public URL: SAML entity ids, ACS and redirect URIs are built on the custom domain.
            disableExecuteApiEndpoint: true,
          }
        : {}),
      deployOptions: {
        stageName: config.stage,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        // Execution logs at ERROR only and never with request/response data (that would log headers and bodies).
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: config.detailedMetrics,
        tracingEnabled: config.xray,
        throttlingRateLimit: config.stageRateLimit,
        throttlingBurstLimit: config.stageBurstLimit,
        methodOptions: Object.fromEntries(
          routes.map((r) => [
            `${r.path}/${r.method}`,
            { throttlingRateLimit: r.throttle.rateLimit, throttlingBurstLimit: r.throttle.burstLimit },
          ]),
        ),
      },
    });

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Requests are validated in the one middy chain (valibot, before any I/O) so that errors use the SCIM error ' +
        'schema or the admin error JSON; API Gateway models would duplicate the schemas and answer in its own format.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "The account-level role API Gateway needs for execution logs; AWS's managed policy is the documented one and " +
        'only allows writing CloudWatch logs.',
    });
    if (!config.waf) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: 'WAF turned off by context waf=false (e.g. a short-lived dev stack); it is on by default in every stage.',
      });
    }

    // Built without a reference to the deployment stage, so functions can know the URL without a dependency cycle.
    const publicBaseUrl = config.domainName
      ? `https://${config.domainName}`
      : Fn.join('', ['https://', this.api.restApiId, '.execute-api.', this.region, '.', this.urlSuffix, `/${config.stage}`]);

    for (const response of GATEWAY_RESPONSES) {
      this.api.addGatewayResponse(`Gateway${pascal(response.type.toLowerCase())}`, {
        type: ResponseType.of(response.type),
        statusCode: String(response.status),
        responseHeaders: Object.fromEntries(Object.entries(gatewayResponseHeaders(response)).map(([k, v]) => [k, `'${v}'`])),
        templates: { 'application/json': gatewayResponseBody(response) },
      });
    }

    const functionDefaults = {
      table,
      ...(this.dataTable.key ? { tableKey: this.dataTable.key } : {}),
      logRetention: config.logRetention,
      logRemovalPolicy: keepInProd,
      tracing: config.xray,
    };

    this.authorizerFunction = new RouteFunction(this, 'Authorizer', {
      ...functionDefaults,
      entry: 'functions/auth/authorizer.ts',
      tableActions: AUTHORIZER_TABLE_ACTIONS,
    });
    // Cached per (Authorization header, source IP): a decision made for one address is never reused for another, so
    // the account's IP allowlist cannot be bypassed through the cache.
    const authorizer = new RequestAuthorizer(this, 'ApiKeyAuthorizer', {
      handler: this.authorizerFunction.fn,
      identitySources: [IdentitySource.header('Authorization'), IdentitySource.context('identity.sourceIp')],
      resultsCacheTtl: Duration.seconds(AUTHORIZER_CACHE_TTL_SECONDS),
    });

    // API Gateway resources (paths) stay here: many routes share a path, and a resource can have only one owner.
    const resourceOf = (route: RouteDefinition): IResource =>
      route.path
        .split('/')
        .filter(Boolean)
        .reduce<IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), this.api.root);
    for (const route of routes) resourceOf(route);

    const wafMetricPrefix = `identity${pascal(config.stage)}`;
    const monitoring = new Monitoring(this, 'Monitoring', {
      stage: config.stage,
      api: this.api,
      accessLogs,
      authorizer: this.authorizerFunction.fn,
      table,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
      ...(config.waf
        ? {
            waf: {
              webAclName: `${wafMetricPrefix}WebAcl`,
              ruleNames: Object.values(RULE_NAMES).map((r) => `${wafMetricPrefix}${r}`),
            },
          }
        : {}),
    });

    // Functions, methods, permissions and alarms, per group of routes, in nested stacks (infra/stacks/route-stack.ts).
    for (const group of routeGroups(routes)) {
      const routeStack = new RouteStack(this, group.id, {
        description: `Identity service (${config.stage}): ${group.routes.length} routes (${group.id})`,
        routes: group.routes,
        resourceOf,
        authorizer,
        stageName: config.stage,
        secrets,
        functionDefaults,
        environment: { PUBLIC_BASE_URL: publicBaseUrl },
        alarmTopic: monitoring.topic,
      });
      this.routeStacks.push(routeStack);
      for (const [routeId, fn] of routeStack.functions) this.functions.set(routeId, fn);
    }
    monitoring.addRoutes(
      this.routeStacks.flatMap((s) => [...s.functions].map(([routeId, f]) => ({ routeId, fn: f.fn, alarm: s.alarms.get(routeId)! }))),
    );

    if (config.waf) {
      new ApiWebAcl(this, 'Waf', {
        stageArn: this.api.deploymentStage.stageArn,
        stageName: config.stage,
        rateLimit: config.wafRateLimit,
        loginRateLimit: config.wafLoginRateLimit,
        metricPrefix: wafMetricPrefix,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: publicBaseUrl, description: 'Base URL of every route' });
    if (this.api.domainName) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: this.api.domainName.domainNameAliasDomainName,
        description: `Point ${config.domainName} here (CNAME, or a Route 53 alias)`,
      });
    }
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'OperatorKeySecretArn', {
      value: operatorKey.secretArn,
      description: 'aws secretsmanager get-secret-value --secret-id <this> --query SecretString --output text',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${monitoring.dashboard.dashboardName}`,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.topic.topicArn });
  }
}
