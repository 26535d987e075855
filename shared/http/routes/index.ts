// The one route table: which method and path reach which handler. The CDK stack and the local server both read it.
// Each surface keeps its routes in its own module; this list is their union.
import { adminRoutes } from './admin.ts';
import { consoleRoutes } from './console.ts';
import { oidcRoutes } from './oidc.ts';
import { samlRoutes } from './saml.ts';
import { scimRoutes } from './scim.ts';
import { ssoRoutes } from './sso.ts';
import type { RouteDefinition } from './types.ts';

export const routes: readonly RouteDefinition[] = [
  ...adminRoutes,
  ...scimRoutes,
  ...ssoRoutes,
  ...samlRoutes,
  ...oidcRoutes,
  ...consoleRoutes,
];

type IdsOf<T extends readonly { id: string }[]> = T[number]['id'];
export type RouteId =
  | IdsOf<typeof adminRoutes>
  | IdsOf<typeof scimRoutes>
  | IdsOf<typeof ssoRoutes>
  | IdsOf<typeof samlRoutes>
  | IdsOf<typeof oidcRoutes>
  | IdsOf<typeof consoleRoutes>;

export function routeById(id: string): RouteDefinition {
  const route = routes.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
}

export * from './types.ts';
