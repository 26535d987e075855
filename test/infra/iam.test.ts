// Least privilege: each function may call only the table actions its route declares, only the secrets it declares,
// and nothing may Scan or use wildcard actions.
import { beforeAll, expect, test } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { AUTHORIZER_TABLE_ACTIONS, TABLE_ACTIONS } from '../../infra/constructs/route-function.ts';
import type { IdentityStack } from '../../infra/stacks/identity-stack.ts';
import { TABLE } from '../../shared/db/table.ts';
import { routes } from '../../shared/http/routes/index.ts';
import { synthStack, type Synth } from './synth.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

let template: Template;
let stack: IdentityStack;
let synth: Synth;

beforeAll(() => {
  synth = synthStack({ stage: 'prod' });
  ({ template, stack } = synth);
});

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

type Policy = { PolicyDocument: { Statement: Statement[] } };

/**
 * Statements of the role's inline policies and of every AWS::IAM::Policy attached to it, read from the role's own stack
 * (a nested route stack, or the parent for the authorizer), with nested-stack parameters replaced by the parent's values.
 */
function statementsOfRole(roleConstruct: CfnRole, s: Synth = synth): Statement[] {
  const t = s.templateOf(roleConstruct);
  const roleLogicalId = s.logicalId(roleConstruct);
  return (statementsOfRoleIn(roleLogicalId, t) as unknown[]).map((st) => s.inParent(roleConstruct, st) as Statement);
}

function statementsOfRoleIn(roleLogicalId: string, t: Template): Statement[] {
  const role = t.toJSON().Resources[roleLogicalId].Properties as { Policies?: Policy[] };
  const inline = (role.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
  const attached = Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => list((p.Properties as { Roles: unknown[] }).Roles).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((p) => (p.Properties as Policy).PolicyDocument.Statement);
  return [...inline, ...attached];
}

/** Every statement in every template (parent and nested): inline role policies and policy resources. */
function allStatements(s: Synth = synth): Statement[] {
  return s.templates.flatMap((t) => [
    ...Object.values(t.findResources('AWS::IAM::Role')).flatMap((r) =>
      ((r.Properties as { Policies?: Policy[] }).Policies ?? []).flatMap((p) => p.PolicyDocument.Statement),
    ),
    ...Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => (p.Properties as Policy).PolicyDocument.Statement),
  ]);
}

function actionsOf(routeIdOrAuthorizer: string, prefix: string): string[] {
  const fn = routeIdOrAuthorizer === 'authorizer' ? stack.authorizerFunction : stack.functions.get(routeIdOrAuthorizer)!;
  return [
    ...new Set(
      statementsOfRole(fn.role.node.defaultChild as CfnRole)
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => list(s.Action))
        .filter((a) => a.startsWith(prefix)),
    ),
  ].sort();
}

const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'];

test("each route's function gets exactly the table actions of its route's `table` access", () => {
  for (const route of routes) {
    expect([route.id, actionsOf(route.id, 'dynamodb:')]).toEqual([route.id, [...TABLE_ACTIONS[route.table]].sort()]);
  }
});

test('a read route cannot write the table', () => {
  const readRoutes = routes.filter((r) => r.table === 'read');
  expect(readRoutes.length).toBeGreaterThan(0);
  for (const route of readRoutes) {
    const granted = actionsOf(route.id, 'dynamodb:');
    expect([route.id, granted.filter((a) => WRITE_ACTIONS.includes(a))]).toEqual([route.id, []]);
    expect(granted).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
  }
});

test('the authorizer reads keys and stamps lastUsedAt, nothing more', () => {
  expect(actionsOf('authorizer', 'dynamodb:')).toEqual([...AUTHORIZER_TABLE_ACTIONS].sort());
});

test('no role anywhere may Scan, and no statement uses a wildcard action', () => {
  const statements = allStatements();
  expect(statements.length).toBeGreaterThan(routes.length);
  const actions = statements.flatMap((s) => list(s.Action));
  expect(actions).not.toContain('dynamodb:Scan');
  expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
  for (const t of synth.templates) expect(Object.keys(t.findResources('AWS::IAM::ManagedPolicy'))).toEqual([]);
});

test('table statements name the table and each index, with no wildcard', () => {
  for (const route of routes.filter((r) => r.table !== 'none')) {
    const role = stack.functions.get(route.id)!.role.node.defaultChild as CfnRole;
    for (const s of statementsOfRole(role).filter((st) => list(st.Action).some((a) => a.startsWith('dynamodb:')))) {
      const resources = JSON.stringify(s.Resource);
      expect(resources).not.toContain('*');
      for (const index of TABLE.indexes) expect(resources).toContain(`/index/${index.name}"`);
    }
  }
});

test('only routes that declare a secret can read one, and only the ones they declare', () => {
  const arnEnv = { operatorKey: 'OPERATOR_KEY_SECRET_ARN', idpSecrets: 'IDP_SECRET_KEY_ARN' } as const;
  for (const route of routes) {
    const fn = stack.functions.get(route.id)!;
    const secretActions = actionsOf(route.id, 'secretsmanager:');
    const env = (synth.templateOf(fn.fn).toJSON().Resources[synth.logicalId(fn.fn)].Properties.Environment.Variables ??
      {}) as Record<string, unknown>;
    const declared = route.secrets ?? [];
    expect([route.id, secretActions.length > 0]).toEqual([route.id, declared.length > 0]);
    for (const name of Object.keys(arnEnv) as (keyof typeof arnEnv)[]) {
      expect([route.id, name, arnEnv[name] in env]).toEqual([route.id, name, declared.includes(name)]);
    }
  }
  expect(actionsOf('authorizer', 'secretsmanager:')).toEqual([]);
});

test('a route declaring idpSecrets reads the IdP secret key by ARN, and only that secret', () => {
  const idpRoute = { ...routes.find((r) => r.table === 'write')!, id: 'idp-secret-user', path: '/api/v1/idp-secret-user', secrets: ['idpSecrets'] as const };
  const withIdp = synthStack({ stage: 'dev' }, undefined, [...routes, idpRoute]);
  const { template: t, stack: s } = withIdp;
  const fn = s.functions.get(idpRoute.id)!;
  const fnProps = withIdp.inParent(fn.fn, withIdp.templateOf(fn.fn).toJSON().Resources[withIdp.logicalId(fn.fn)].Properties) as any;
  const secretId = Object.entries(t.findResources('AWS::SecretsManager::Secret')).find(([, r]) =>
    String((r.Properties as { Description: string }).Description).startsWith('Key material that seals IdP'),
  )![0];
  expect(fnProps.Environment.Variables.IDP_SECRET_KEY_ARN).toEqual({ Ref: secretId });
  expect(fnProps.Environment.Variables.OPERATOR_KEY_SECRET_ARN).toBeUndefined();
  const secretStatements = statementsOfRole(fn.role.node.defaultChild as CfnRole, withIdp).filter((st) => list(st.Action).some((a) => a.startsWith('secretsmanager:')));
  expect(secretStatements.map((st) => st.Resource)).toEqual([{ Ref: secretId }]);
});

test('secrets are generated by Secrets Manager: their values never appear in the template', () => {
  const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret')).map((s) => s.Properties as Record<string, unknown>);
  expect(secrets.length).toBe(2);
  for (const secret of secrets) {
    expect(secret.SecretString).toBeUndefined();
    expect(secret.GenerateSecretString).toBeDefined();
  }
  template.hasResourceProperties('AWS::SecretsManager::Secret', {
    Description: 'Key material that seals IdP client secrets stored in the table (AES-256-GCM, shared/auth/secret-box.ts)',
    GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
  });
});

test('with a customer-managed table key, read routes may only decrypt', () => {
  const cmk = synthStack({ stage: 'prod', tableCmk: 'true' }, { account: '123456789012', region: 'eu-west-1' });
  const keyId = Object.keys(cmk.template.findResources('AWS::KMS::Key'))[0]!;
  const kmsActions = (routeId: string) => {
    const statements = statementsOfRole(cmk.stack.functions.get(routeId)!.role.node.defaultChild as CfnRole, cmk);
    for (const st of statements.filter((x) => list(x.Action).some((a) => a.startsWith('kms:')))) {
      expect(st.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    return [...new Set(statements.flatMap((s) => list(s.Action)).filter((a) => a.startsWith('kms:')))].sort();
  };
  const read = routes.find((r) => r.table === 'read')!;
  const write = routes.find((r) => r.table === 'write')!;
  expect(kmsActions(read.id)).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
  expect(kmsActions(write.id)).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
});
