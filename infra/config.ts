// Stage configuration from CDK context (`-c stage=prod -c domainName=… …` or cdk.json). One function turns the raw
// context into a checked StageConfig, so a typo fails `cdk synth` with the setting's name instead of deploying defaults.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export type StageName = 'dev' | 'prod';

export interface StageConfig {
  stage: StageName;
  /** Public host name (e.g. `id.example.com`); needs `certificateArn` (ACM, same region). Unset: the execute-api URL. */
  domainName?: string;
  certificateArn?: string;
  /** Where alarm notifications go (an SNS email subscription); unset: the topic exists without subscribers. */
  alarmEmail?: string;
  /** Retention of every function's logs and the access logs. */
  logRetention: RetentionDays;
  /** AWS WAF web ACL on the stage. */
  waf: boolean;
  /** Requests per source IP per 5 minutes, all paths. */
  wafRateLimit: number;
  /** Requests per source IP per 5 minutes on the login and SSO paths (`/login*`, `/sso/*`). */
  wafLoginRateLimit: number;
  /** Stage-wide default throttle (requests per second, burst); routes override it from the route table. */
  stageRateLimit: number;
  stageBurstLimit: number;
  /** Encrypt the table with a customer-managed KMS key (rotated yearly) instead of the AWS-owned key. */
  tableCmk: boolean;
  /** Deletion protection on the table (the table is retained on stack deletion in every stage). */
  deletionProtection: boolean;
  /** DynamoDB contributor insights (hot keys, throttled keys); billed per event. */
  contributorInsights: boolean;
  /** X-Ray active tracing on the stage and every function. */
  xray: boolean;
  /** API Gateway detailed (per-method) CloudWatch metrics; billed per metric. Lambda metrics per route are always on. */
  detailedMetrics: boolean;
}

const DEFAULTS: Record<StageName, Omit<StageConfig, 'stage'>> = {
  dev: {
    logRetention: RetentionDays.TWO_WEEKS,
    waf: true,
    wafRateLimit: 3000,
    wafLoginRateLimit: 300,
    stageRateLimit: 100,
    stageBurstLimit: 200,
    tableCmk: false,
    deletionProtection: false,
    contributorInsights: false,
    xray: false,
    detailedMetrics: false,
  },
  prod: {
    logRetention: RetentionDays.THREE_MONTHS,
    waf: true,
    wafRateLimit: 3000,
    wafLoginRateLimit: 300,
    stageRateLimit: 200,
    stageBurstLimit: 400,
    tableCmk: false,
    deletionProtection: true,
    contributorInsights: false,
    xray: false,
    detailedMetrics: false,
  },
};

/** The context keys read by stageConfig(); the README's Deploy section lists the same. */
export const CONTEXT_KEYS = [
  'stage',
  'domainName',
  'certificateArn',
  'alarmEmail',
  'logRetentionDays',
  'waf',
  'wafRateLimit',
  'wafLoginRateLimit',
  'stageRateLimit',
  'stageBurstLimit',
  'tableCmk',
  'deletionProtection',
  'contributorInsights',
  'xray',
  'detailedMetrics',
] as const;

type ContextKey = (typeof CONTEXT_KEYS)[number];
export type RawContext = Partial<Record<ContextKey, unknown>>;

// `-c waf=false` arrives as the string "false", cdk.json gives a real boolean: accept both, refuse anything else.
function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context ${name} must be true or false, got ${JSON.stringify(value)}`);
}

function positiveInt(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`Context ${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

function optionalString(name: string, value: unknown, pattern: RegExp): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) throw new Error(`Context ${name} is not valid: ${JSON.stringify(value)}`);
  return value;
}

const RETENTION_VALUES = new Set(Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'));

export function stageConfig(context: RawContext): StageConfig {
  const stageValue = context.stage ?? 'dev';
  if (stageValue !== 'dev' && stageValue !== 'prod') {
    throw new Error(`Context stage must be dev or prod, got ${JSON.stringify(stageValue)}`);
  }
  const stage: StageName = stageValue;
  const d = DEFAULTS[stage];

  const domainName = optionalString('domainName', context.domainName, /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i);
  const certificateArn = optionalString('certificateArn', context.certificateArn, /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/);
  if (Boolean(domainName) !== Boolean(certificateArn)) {
    throw new Error('Context domainName and certificateArn go together: set both or neither');
  }

  const retention = positiveInt('logRetentionDays', context.logRetentionDays, d.logRetention);
  if (!RETENTION_VALUES.has(retention)) {
    throw new Error(`Context logRetentionDays must be one of CloudWatch's values (${[...RETENTION_VALUES].join(', ')}), got ${retention}`);
  }

  const config: StageConfig = {
    stage,
    ...(domainName ? { domainName, certificateArn } : {}),
    ...(context.alarmEmail !== undefined && context.alarmEmail !== ''
      ? { alarmEmail: optionalString('alarmEmail', context.alarmEmail, /^[^\s@]+@[^\s@]+\.[^\s@]+$/) }
      : {}),
    logRetention: retention as RetentionDays,
    waf: flag('waf', context.waf, d.waf),
    // WAF's rate-based rules accept 10 … 2 000 000 requests per evaluation window.
    wafRateLimit: positiveInt('wafRateLimit', context.wafRateLimit, d.wafRateLimit, 10),
    wafLoginRateLimit: positiveInt('wafLoginRateLimit', context.wafLoginRateLimit, d.wafLoginRateLimit, 10),
    stageRateLimit: positiveInt('stageRateLimit', context.stageRateLimit, d.stageRateLimit),
    stageBurstLimit: positiveInt('stageBurstLimit', context.stageBurstLimit, d.stageBurstLimit),
    tableCmk: flag('tableCmk', context.tableCmk, d.tableCmk),
    deletionProtection: flag('deletionProtection', context.deletionProtection, d.deletionProtection),
    contributorInsights: flag('contributorInsights', context.contributorInsights, d.contributorInsights),
    xray: flag('xray', context.xray, d.xray),
    detailedMetrics: flag('detailedMetrics', context.detailedMetrics, d.detailedMetrics),
  };
  return config;
}

/** Reads every known key from a construct node's context (the App's, in bin/app.ts). */
export function contextOf(tryGetContext: (key: string) => unknown): RawContext {
  return Object.fromEntries(CONTEXT_KEYS.map((key) => [key, tryGetContext(key)]));
}
