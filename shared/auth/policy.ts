// Turns a key's scopes into execute-api resources: exactly the routes of the route table whose auth is one of the
// scopes. Because API Gateway caches the policy per identity, it must cover every route the key may reach, not only
// the one being called. `matchesResource` is how API Gateway (and so the local server) applies it.
import { routes } from '../http/routes/index.ts';

/** `arn:aws:execute-api:region:account:api/stage/METHOD/path…` → `arn:…:api/stage` */
function stageArn(methodArn: string): string {
  return methodArn.split('/').slice(0, 2).join('/');
}

export function policyResources(methodArn: string, scopes: readonly string[]): string[] {
  const base = stageArn(methodArn);
  if (scopes.includes('*')) return [`${base}/*`];
  const resources = routes
    .filter((route) => scopes.includes(route.auth))
    .map((route) => `${base}/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`);
  return resources.length > 0 ? [...new Set(resources)] : [`${base}/NONE/none`];
}

/** IAM-style wildcard match (`*` any run of characters, `?` one character). */
export function matchesResource(pattern: string, resource: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(resource);
}
