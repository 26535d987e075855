// One function construct holds every Lambda default: Node.js 22 pinned, arm64, ESM bundle, minified, source maps,
// log retention; and grants only the table access the route declares.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { TableAccess } from '../../shared/http/routes/types.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface RouteFunctionProps {
  /** Handler file relative to the repository root. */
  entry: string;
  table: ITable;
  tableAccess: TableAccess;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  logRetention?: RetentionDays;
}

export class RouteFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment: {
        TABLE_NAME: props.table.tableName,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'identity',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // The AWS SDK v3 ships in the Node.js 22 runtime; leaving it out keeps bundles small (see README).
        externalModules: ['@aws-sdk/*'],
        // ESM bundles still meet CommonJS dependencies that call require(); give them one.
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    if (props.tableAccess === 'read') props.table.grantReadData(this.fn);
    if (props.tableAccess === 'write') props.table.grantReadWriteData(this.fn);
  }
}
