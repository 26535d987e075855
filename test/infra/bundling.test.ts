// Packages that read files next to their code at run time (xmllint's .wasm, the SAML XSDs) are npm-installed into the
// function's asset instead of bundled, and only for the route that declares them (the SAML ACS).
import { beforeAll, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/constructs/route-function.ts';
import type { IdentityStack } from '../../infra/stacks/identity-stack.ts';
import { routeById, routes } from '../../shared/http/routes/index.ts';
import { synthStack } from './synth.ts';

const SAML_SCHEMA_PACKAGES = ['xmllint-wasm', '@authenio/samlify-xmllint-wasm'];

let stack: IdentityStack;

beforeAll(() => {
  ({ stack } = synthStack({ stage: 'dev' }));
});

test('the SAML ACS route declares the two schema-validation packages', () => {
  expect(routeById('saml-acs').nodeModules).toEqual(SAML_SCHEMA_PACKAGES);
});

test("the ACS function's bundling installs them; every other function bundles everything", () => {
  for (const route of routes) {
    const expected = route.id === 'saml-acs' ? SAML_SCHEMA_PACKAGES : [];
    expect([route.id, stack.functions.get(route.id)!.nodeModules]).toEqual([route.id, expected]);
  }
  expect(stack.authorizerFunction.nodeModules).toEqual([]);
});

test('they are pinned dependencies of the project and carry the files they read at run time', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of SAML_SCHEMA_PACKAGES) expect([name, pkg.dependencies[name]]).toEqual([name, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
  expect(existsSync(join(REPO_ROOT, 'node_modules/xmllint-wasm/xmllint.wasm'))).toBe(true);
  expect(existsSync(join(REPO_ROOT, 'node_modules/@authenio/samlify-xmllint-wasm/schemas'))).toBe(true);
});
