import { expect, test } from '@jest/globals';
import { matchesResource, policyResources } from '../../../shared/auth/policy.ts';
import { routes } from '../../../shared/http/routes/index.ts';

const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef/prod/GET/api/v1/account';
const arnFor = (method: string, path: string) =>
  `arn:aws:execute-api:eu-west-1:123456789012:abcdef/prod/${method}${path.replace(/\{[^}]+\}/g, 'some-id')}`;

test('an admin key reaches every admin route and nothing else', () => {
  const resources = policyResources(methodArn, ['admin']);
  for (const route of routes) {
    const allowed = resources.some((r) => matchesResource(r, arnFor(route.method, route.path)));
    expect([route.id, allowed]).toEqual([route.id, route.auth === 'admin']);
  }
});

test('a scim key reaches no admin route', () => {
  const resources = policyResources(methodArn, ['scim']);
  for (const route of routes.filter((r) => r.auth === 'admin')) {
    expect(resources.some((r) => matchesResource(r, arnFor(route.method, route.path)))).toBe(false);
  }
});

test('a path parameter matches one segment value but the method must match exactly', () => {
  const resources = policyResources(methodArn, ['admin']);
  expect(resources.some((r) => matchesResource(r, arnFor('DELETE', '/api/v1/api-keys/k1')))).toBe(true);
  expect(resources.some((r) => matchesResource(r, arnFor('PUT', '/api/v1/api-keys/k1')))).toBe(false);
});

test('wildcard matching escapes regular-expression characters', () => {
  expect(matchesResource('a.b/*', 'a.b/c')).toBe(true);
  expect(matchesResource('a.b/*', 'axb/c')).toBe(false);
});
