// AWS WAF in front of the API stage: a rate-based rule per source IP on every path, a stricter one on the login and SSO
// paths, AWS's common and known-bad-inputs rule sets, with the body-size rule moved aside so SAML POSTs (SAMLResponse is
// ~10–100 KB), SCIM bodies and IdP metadata still pass; the handlers cap bodies at MAX_BODY_BYTES themselves.
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiWebAclProps {
  /** ARN of the API Gateway stage to protect. */
  stageArn: string;
  /** The stage's name, which prefixes paths on the execute-api host (`/prod/login`); custom domains have no prefix. */
  stageName: string;
  /** Requests per source IP per 5 minutes, every path. */
  rateLimit: number;
  /** Requests per source IP per 5 minutes on `/login*` and `/sso/*`. */
  loginRateLimit: number;
  metricPrefix: string;
}

/** Label the common rule set puts on requests whose body is over 8 KB (its SizeRestrictions_BODY rule, set to count). */
export const OVERSIZED_BODY_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/** Path parts whose requests may carry large bodies: SAML ACS posts, SCIM bulk/PATCH bodies, admin API (IdP metadata). */
export const LARGE_BODY_PATHS = ['/sso/saml/', '/scim/v2/', '/api/v1/'] as const;

export const RULE_NAMES = {
  loginRate: 'RateLimitLoginAndSsoPerIp',
  rate: 'RateLimitPerIp',
  common: 'AWSManagedRulesCommonRuleSet',
  oversized: 'BlockOversizedBodiesOutsideSamlScimApi',
  badInputs: 'AWSManagedRulesKnownBadInputsRuleSet',
} as const;

const FIVE_MINUTES = 300;

type Statement = CfnWebACL.StatementProperty;

const pathMatch = (search: string, positionalConstraint: 'STARTS_WITH' | 'CONTAINS'): Statement => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint,
    searchString: search,
    // Decoded and lower-cased first so `/%73so/` or `/LOGIN` cannot slip past the stricter limit.
    textTransformations: [
      { priority: 0, type: 'URL_DECODE' },
      { priority: 1, type: 'LOWERCASE' },
    ],
  },
});

export class ApiWebAcl extends Construct {
  readonly acl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiWebAclProps) {
    super(scope, id);
    // Sampled requests would show bearer tokens and SAMLResponse bodies in the console: off; the metrics stay on.
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.metricPrefix}${name}`,
      sampledRequestsEnabled: false,
    });
    const loginPrefixes = ['/login', '/sso/', `/${props.stageName}/login`, `/${props.stageName}/sso/`];

    this.acl = new CfnWebACL(this, 'Acl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      rules: [
        {
          name: RULE_NAMES.loginRate,
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.loginRateLimit,
              evaluationWindowSec: FIVE_MINUTES,
              scopeDownStatement: { orStatement: { statements: loginPrefixes.map((p) => pathMatch(p, 'STARTS_WITH')) } },
            },
          },
          visibilityConfig: visibility(RULE_NAMES.loginRate),
        },
        {
          name: RULE_NAMES.rate,
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: { aggregateKeyType: 'IP', limit: props.rateLimit, evaluationWindowSec: FIVE_MINUTES },
          },
          visibilityConfig: visibility(RULE_NAMES.rate),
        },
        {
          name: RULE_NAMES.common,
          priority: 2,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // Its 8 KB body limit would refuse every SAML ACS post: count (and label) instead; the next rule blocks
              // oversized bodies everywhere else.
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: visibility(RULE_NAMES.common),
        },
        {
          name: RULE_NAMES.oversized,
          priority: 3,
          action: { block: {} },
          statement: {
            andStatement: {
              statements: [
                { labelMatchStatement: { scope: 'LABEL', key: OVERSIZED_BODY_LABEL } },
                {
                  notStatement: {
                    statement: { orStatement: { statements: LARGE_BODY_PATHS.map((p) => pathMatch(p, 'CONTAINS')) } },
                  },
                },
              ],
            },
          },
          visibilityConfig: visibility(RULE_NAMES.oversized),
        },
        {
          name: RULE_NAMES.badInputs,
          priority: 4,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
          visibilityConfig: visibility(RULE_NAMES.badInputs),
        },
      ],
    });

    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: this.acl.attrArn });
  }
}
