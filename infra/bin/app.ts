// The CDK app: `npx cdk synth` (no AWS credentials needed) and `npx cdk deploy -c stage=prod`.
import { App } from 'aws-cdk-lib';
import { IdentityStack } from '../stacks/identity-stack.ts';

const app = new App();
const stage = app.node.tryGetContext('stage') === 'prod' ? 'prod' : 'dev';
new IdentityStack(app, `Identity-${stage}`, {
  stage,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
