// One function construct holds every Lambda default: Node.js 22 pinned, arm64, ESM bundle (infra/bundling.ts, the
// options the bundle benchmark measures), minified, source maps, its own log group with retention, its own role; and
// it grants only the table actions and the secrets the route declares.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { TABLE } from '../../shared/db/table.ts';
import type { TableAccess } from '../../shared/http/routes/types.ts';
import { ESM_REQUIRE_BANNER, EXTERNAL_MODULES, LAMBDA_NODE_TARGET } from '../bundling.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/**
 * The table actions each kind of route gets. Never Scan (no request path scans), never DescribeTable or stream reads.
 * Transactions have no IAM actions of their own: TransactWriteItems is authorised per item as Put/Update/Delete/
 * ConditionCheckItem, TransactGetItems as GetItem.
 */
export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  none: [],
  read: READ_ACTIONS,
  write: [
    ...READ_ACTIONS,
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
};

/** The authorizer reads the key and the account (BatchGetItem) and stamps `lastUsedAt` (UpdateItem); nothing else. */
export const AUTHORIZER_TABLE_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'] as const;

export interface RouteSecret {
  /** Environment variable that carries the secret's ARN (never the value). */
  env: string;
  secret: ISecret;
}

export interface RouteFunctionProps {
  /** Handler file relative to the repository root. */
  entry: string;
  table: ITableV2;
  /** Customer-managed key of the table, when there is one: readers may decrypt, writers also encrypt. */
  tableKey?: IKey;
  /** The DynamoDB actions the function may call, on the table and its indexes. */
  tableActions: readonly string[];
  secrets?: readonly RouteSecret[];
  environment?: Record<string, string>;
  /** Packages npm-installed into the asset next to the bundle instead of bundled (RouteDefinition.nodeModules). */
  nodeModules?: readonly string[];
  memorySize?: number;
  timeout?: Duration;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  tracing: boolean;
}

export class RouteFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** The packages installed next to the bundle (empty: everything is bundled). */
  readonly nodeModules: readonly string[];

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    super(scope, id);
    this.nodeModules = [...(props.nodeModules ?? [])];
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    // Our own role instead of the default one with the AWSLambdaBasicExecutionRole managed policy, with every permission
    // in one inline policy (one resource, not a role plus a policy: the stack has one function per route and
    // CloudFormation allows 500 resources).
    const statements = [
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    ];
    if (props.tableActions.length > 0) {
      statements.push(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: [...props.tableActions],
          // The table and its named indexes; no index wildcard.
          resources: [props.table.tableArn, ...TABLE.indexes.map((index) => `${props.table.tableArn}/index/${index.name}`)],
        }),
      );
      if (props.tableKey) {
        // Named actions (no `GenerateDataKey*`/`ReEncrypt*` wildcards): readers decrypt, writers also encrypt.
        const writes = props.tableActions.some((a) => !(READ_ACTIONS as readonly string[]).includes(a));
        statements.push(
          new PolicyStatement({
            actions: ['kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [])],
            resources: [props.tableKey.keyArn],
          }),
        );
      }
    }
    for (const { secret } of props.secrets ?? []) {
      statements.push(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [secret.secretArn],
        }),
      );
    }
    if (props.tracing) {
      // X-Ray has no resource-level permissions. Added here, inline, because the function gets the role without policy
      // updates (otherwise tracing would add a separate policy resource per function).
      statements.push(new PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }));
    }
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
      inlinePolicies: { access: new PolicyDocument({ statements }) },
    });

    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment: {
        TABLE_NAME: props.table.tableName,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'identity',
        ...Object.fromEntries((props.secrets ?? []).map((s) => [s.env, s.secret.secretArn])),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_NODE_TARGET,
        minify: true,
        sourceMap: true,
        externalModules: [...EXTERNAL_MODULES],
        banner: ESM_REQUIRE_BANNER,
        ...(props.nodeModules?.length ? { nodeModules: [...props.nodeModules] } : {}),
      },
    });

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Runtime pinned to Node.js 22 on purpose: bundles target it (LAMBDA_NODE_TARGET in infra/bundling.ts) and the ' +
        'bundle benchmark measures that target; moving to a newer runtime is a one-line change made after testing.',
    });
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray statement added by active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords): X-Ray ' +
          'has no resource-level permissions. Table and secret statements name their resources (see test/infra/iam.test.ts).',
      });
    }
  }
}
