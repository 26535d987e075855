// The CDK app: `npx cdk synth` (no AWS credentials needed) and `npx cdk deploy -c stage=prod …`. Context values are
// listed in README "Deploy" and checked by infra/config.ts.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { contextOf, stageConfig } from '../config.ts';
import { IdentityStack } from '../stacks/identity-stack.ts';

const app = new App();
const config = stageConfig(contextOf((key) => app.node.tryGetContext(key)));
new IdentityStack(app, `Identity-${config.stage}`, {
  config,
  description: `Identity service (${config.stage}): SSO, SCIM 2.0, admin API`,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
// cdk-nag's AwsSolutions pack runs on every synth: an unacknowledged finding fails `cdk synth` and `cdk deploy`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
