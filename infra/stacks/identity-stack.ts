// The service: one DynamoDB table and a REST API whose every route (from the route table) is its own Lambda.
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  MethodLoggingLevel,
  RequestAuthorizer,
  ResponseType,
  RestApi,
  type IResource,
} from 'aws-cdk-lib/aws-apigateway';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../shared/config.ts';
import { TABLE } from '../../shared/db/table.ts';
import { GATEWAY_RESPONSES, gatewayResponseBody, gatewayResponseHeaders } from '../../shared/http/gateway-responses.ts';
import { routes } from '../../shared/http/routes/index.ts';
import { RouteFunction } from '../constructs/route-function.ts';

export interface IdentityStackProps extends StackProps {
  stage: 'dev' | 'prod';
}

/** `/api/v1/api-keys/{id}` → `ApiKeysId`-style logical ids stay stable as long as the route id does. */
const pascal = (id: string) => id.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());

export class IdentityStack extends Stack {
  readonly api: RestApi;
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const prod = props.stage === 'prod';

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: TABLE.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE.ttlAttribute,
      dynamoStream: StreamViewType[TABLE.stream],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const operatorKey = new Secret(this, 'OperatorKey', {
      description: 'Operator key: creates accounts (POST /api/v1/accounts)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.api = new RestApi(this, 'Api', {
      restApiName: `identity-${props.stage}`,
      endpointTypes: [EndpointType.REGIONAL],
      deployOptions: {
        stageName: props.stage,
        loggingLevel: MethodLoggingLevel.ERROR,
        metricsEnabled: true,
        throttlingRateLimit: 200,
        throttlingBurstLimit: 400,
        methodOptions: Object.fromEntries(
          routes.map((r) => [
            `${r.path}/${r.method}`,
            { throttlingRateLimit: r.throttle.rateLimit, throttlingBurstLimit: r.throttle.burstLimit },
          ]),
        ),
      },
    });

    // Built without a reference to the deployment stage, so functions can know the URL without a dependency cycle.
    const publicBaseUrl = Fn.join('', [
      'https://',
      this.api.restApiId,
      '.execute-api.',
      this.region,
      '.',
      this.urlSuffix,
      `/${props.stage}`,
    ]);

    for (const response of GATEWAY_RESPONSES) {
      this.api.addGatewayResponse(`Gateway${pascal(response.type.toLowerCase())}`, {
        type: ResponseType.of(response.type),
        statusCode: String(response.status),
        responseHeaders: Object.fromEntries(Object.entries(gatewayResponseHeaders(response)).map(([k, v]) => [k, `'${v}'`])),
        templates: { 'application/json': gatewayResponseBody(response) },
      });
    }

    const authorizerFn = new RouteFunction(this, 'Authorizer', {
      entry: 'functions/auth/authorizer.ts',
      table: this.table,
      tableAccess: 'write',
    });
    const authorizer = new RequestAuthorizer(this, 'ApiKeyAuthorizer', {
      handler: authorizerFn.fn,
      identitySources: [IdentitySource.header('Authorization'), IdentitySource.context('identity.sourceIp')],
      resultsCacheTtl: Duration.seconds(AUTHORIZER_CACHE_TTL_SECONDS),
    });

    for (const route of routes) {
      const fn = new RouteFunction(this, `Route${pascal(route.id)}`, {
        entry: route.entry,
        table: this.table,
        tableAccess: route.table,
        environment: {
          PUBLIC_BASE_URL: publicBaseUrl,
          ...(route.secrets?.includes('operatorKey') ? { OPERATOR_KEY_SECRET_ARN: operatorKey.secretArn } : {}),
        },
      });
      if (route.secrets?.includes('operatorKey')) operatorKey.grantRead(fn.fn);
      const resource = route.path
        .split('/')
        .filter(Boolean)
        .reduce<IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), this.api.root);
      const protectedRoute = route.auth === 'admin' || route.auth === 'scim';
      resource.addMethod(route.method, new LambdaIntegration(fn.fn), {
        operationName: route.id,
        ...(protectedRoute ? { authorizer, authorizationType: AuthorizationType.CUSTOM } : {}),
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: publicBaseUrl });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'OperatorKeySecretArn', { value: operatorKey.secretArn });
  }
}
