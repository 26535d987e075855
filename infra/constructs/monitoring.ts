// Alarms and the dashboard. Every alarm notifies one SNS topic (an email subscription when `alarmEmail` is set).
// Per route: Lambda errors and throttles (free metrics, one function per route). For the API: 5XX count, the 4XX share,
// 429s and authorizer failures (the last two from the JSON access log). For the table: throttles and system errors.
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IAlarm,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface MonitoredRoute {
  routeId: string;
  fn: IFunction;
  /** The route's errors + throttles alarm (routeAlarm), which lives in the route's nested stack. */
  alarm: IAlarm;
}

export interface MonitoringProps {
  stage: string;
  api: RestApi;
  accessLogs: ILogGroup;
  authorizer: IFunction;
  table: TableV2;
  alarmEmail?: string;
  /** The web ACL's name and rule names, when WAF is on. */
  waf?: { webAclName: string; ruleNames: readonly string[] };
}

const FIVE_MINUTES = Duration.minutes(5);

/** CloudWatch shows at most 100 alarms in one alarm status widget. */
const ALARMS_PER_STATUS_WIDGET = 100;

/** An alarm that notifies the topic when it fires and when it recovers. */
function notifyingAlarm(scope: Construct, id: string, topic: ITopic, metric: IMetric, threshold: number, description: string, periods = 1): Alarm {
  const a = new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  a.addAlarmAction(new SnsAction(topic));
  a.addOkAction(new SnsAction(topic));
  return a;
}

/**
 * Lambda, per route: one alarm on errors + throttles of the route's function (one, not two, per route: every route
 * adds resources and CloudFormation allows 500 per stack; the dashboard shows both series apart). Created next to the
 * function, in the route's nested stack.
 */
export function routeAlarm(scope: Construct, routeId: string, fn: IFunction, topic: ITopic): Alarm {
  const errorsOrThrottles = new MathExpression({
    expression: 'errors + throttles',
    usingMetrics: {
      errors: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      throttles: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
    },
    period: FIVE_MINUTES,
    label: `${routeId} errors + throttles`,
  });
  return notifyingAlarm(scope, `${routeId}-Errors`, topic, errorsOrThrottles, 1, `Route ${routeId}: unhandled Lambda errors, timeouts or throttled invocations`);
}

/** Operations our functions call; DynamoDB reports SystemErrors per operation. */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
  Operation.TRANSACT_GET_ITEMS,
];

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  /** The API, authorizer and table alarms (the per-route ones live in the route stacks). */
  readonly alarms: Alarm[] = [];
  private readonly headRows: IWidget[][] = [];
  private readonly tailRows: IWidget[][] = [];
  private routesAdded = false;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const namespace = `Identity/${props.stage}`;
    this.topic = new Topic(this, 'AlarmTopic', { displayName: `identity-${props.stage} alarms`, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const alarm = (name: string, metric: IMetric, threshold: number, description: string, periods = 1): Alarm => {
      const a = notifyingAlarm(this, name, this.topic, metric, threshold, description, periods);
      this.alarms.push(a);
      return a;
    };

    // API Gateway
    const requests = props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' });
    const serverErrors = props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const clientErrors = props.api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum' });
    alarm('Api5xx', serverErrors, 5, 'At least 5 responses with status 5XX in 5 minutes (handlers, gateway or authorizer)');
    // A share, not a count, and only once there is traffic: a handful of 401s at night is not an incident.
    const clientErrorShare = new MathExpression({
      expression: 'IF(requests >= 100, 100 * clientErrors / requests, 0)',
      usingMetrics: { requests, clientErrors },
      period: FIVE_MINUTES,
      label: '4XX share of requests (%)',
    });
    alarm('Api4xxShare', clientErrorShare, 25, 'Over 25 % of ≥ 100 requests answered 4XX for 15 minutes (bad keys, scans, throttling)', 3);

    // From the JSON access log (see accessLogFormat in the stack): gateway throttling and authorizer failures have no
    // metric of their own.
    const logMetric = (metricId: string, metricName: string, pattern: ReturnType<typeof FilterPattern.any>): Metric => {
      new MetricFilter(this, metricId, {
        logGroup: props.accessLogs,
        metricNamespace: namespace,
        metricName,
        filterPattern: pattern,
        metricValue: '1',
        defaultValue: 0,
      });
      return new Metric({ namespace, metricName, period: FIVE_MINUTES, statistic: 'Sum' });
    };
    const throttled = logMetric('Throttled429Filter', 'Throttled429', FilterPattern.any(FilterPattern.stringValue('$.status', '=', '429')));
    alarm('Api429', throttled, 50, 'At least 50 requests answered 429 (stage, route or WAF limits) in 5 minutes');
    const authorizerFailures = logMetric(
      'AuthorizerFailureFilter',
      'AuthorizerFailures',
      FilterPattern.any(
        FilterPattern.stringValue('$.errorType', '=', 'AUTHORIZER_FAILURE'),
        FilterPattern.stringValue('$.errorType', '=', 'AUTHORIZER_CONFIGURATION_ERROR'),
      ),
    );
    alarm('AuthorizerFailures', authorizerFailures, 1, 'The API key authorizer failed (crash, timeout, DynamoDB trouble): callers got 503/500');

    // The authorizer's Errors metric also counts every refused key (it throws "Unauthorized" by design), so its
    // failures are watched through the access log above instead; its throttles are watched here.
    alarm('authorizer-Throttles', props.authorizer.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'The authorizer was throttled (concurrency)');

    // DynamoDB
    const tableMetric = (metricName: string) => props.table.metric(metricName, { period: FIVE_MINUTES, statistic: 'Sum' });
    const tableThrottles = new MathExpression({
      expression: 'readThrottles + writeThrottles',
      usingMetrics: { readThrottles: tableMetric('ReadThrottleEvents'), writeThrottles: tableMetric('WriteThrottleEvents') },
      period: FIVE_MINUTES,
      label: 'Table throttle events',
    });
    alarm('TableThrottles', tableThrottles, 1, 'DynamoDB throttled requests (callers got 503 with Retry-After)');
    const systemErrors = props.table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES });
    alarm('TableSystemErrors', systemErrors, 1, 'DynamoDB returned 500s (system errors)');

    // Dashboard: the rows that need no route are built now; addRoutes() puts the per-route row between them.
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `identity-${props.stage}` });
    this.headRows.push(
      [new TextWidget({ markdown: `# identity-${props.stage}\nAPI, per-route Lambdas, table and WAF. Alarms notify the SNS topic.`, width: 24, height: 2 })],
      [
        new GraphWidget({ title: 'Requests', left: [requests], width: 6 }),
        new GraphWidget({ title: '4XX / 5XX', left: [clientErrors, serverErrors], width: 6 }),
        new GraphWidget({ title: '429 and authorizer failures', left: [throttled, authorizerFailures], width: 6 }),
        new GraphWidget({
          title: 'Latency p50 / p99 (ms)',
          left: [
            props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p50' }),
            props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
          ],
          width: 6,
        }),
      ],
    );
    this.tailRows.push([
      new GraphWidget({
        title: 'Table consumed capacity',
        left: [tableMetric('ConsumedReadCapacityUnits'), tableMetric('ConsumedWriteCapacityUnits')],
        width: 8,
      }),
      new GraphWidget({ title: 'Table throttles / system errors', left: [tableThrottles, systemErrors], width: 8 }),
      new GraphWidget({
        title: 'Table latency (ms, avg)',
        left: [Operation.GET_ITEM, Operation.QUERY, Operation.TRANSACT_WRITE_ITEMS].map((operation) =>
          props.table.metricSuccessfulRequestLatency({ dimensionsMap: { TableName: props.table.tableName, Operation: operation }, period: FIVE_MINUTES }),
        ),
        width: 8,
      }),
    ]);
    if (props.waf) {
      const wafMetric = (metricName: string, rule: string) =>
        new Metric({
          namespace: 'AWS/WAFV2',
          metricName,
          dimensionsMap: { WebACL: props.waf!.webAclName, Rule: rule, Region: Stack.of(this).region },
          period: FIVE_MINUTES,
          statistic: 'Sum',
          label: `${rule} ${metricName}`,
        });
      this.tailRows.push([
        new GraphWidget({ title: 'WAF blocked requests per rule', left: props.waf.ruleNames.map((r) => wafMetric('BlockedRequests', r)), width: 12 }),
        new GraphWidget({ title: 'WAF allowed requests', left: [wafMetric('AllowedRequests', 'ALL')], width: 12 }),
      ]);
    }
  }

  /**
   * Completes the dashboard with the per-route graphs and every alarm's status, the route alarms included. Called once,
   * after the route stacks exist (their functions and alarms are reached through nested-stack outputs).
   */
  addRoutes(routes: readonly MonitoredRoute[]): void {
    if (this.routesAdded) throw new Error('Monitoring.addRoutes is called once');
    this.routesAdded = true;
    const fnMetric = (name: 'metricErrors' | 'metricThrottles' | 'metricDuration') =>
      routes.map(({ routeId, fn }) =>
        fn[name]({ period: FIVE_MINUTES, label: routeId, ...(name === 'metricDuration' ? { statistic: 'p99' } : { statistic: 'Sum' }) }),
      );
    for (const row of this.headRows) this.dashboard.addWidgets(...row);
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Lambda errors per route', left: fnMetric('metricErrors'), width: 8 }),
      new GraphWidget({ title: 'Lambda throttles per route', left: fnMetric('metricThrottles'), width: 8 }),
      new GraphWidget({ title: 'Lambda duration p99 per route', left: fnMetric('metricDuration'), width: 8 }),
    );
    for (const row of this.tailRows) this.dashboard.addWidgets(...row);
    const alarms: IAlarm[] = [...this.alarms, ...routes.map((r) => r.alarm)];
    for (let i = 0; i < alarms.length; i += ALARMS_PER_STATUS_WIDGET) {
      const part = alarms.slice(i, i + ALARMS_PER_STATUS_WIDGET);
      const title = alarms.length > ALARMS_PER_STATUS_WIDGET ? `Alarms (${i / ALARMS_PER_STATUS_WIDGET + 1})` : 'Alarms';
      this.dashboard.addWidgets(new AlarmStatusWidget({ title, alarms: part, width: 24, height: 6 }));
    }
  }
}
