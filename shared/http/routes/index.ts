// The one route table: which method and path reach which handler. The CDK stack and the local server both read it.
// Each surface keeps its routes in its own module; this list is their union.
import { adminRoutes } from './admin.ts';
import type { RouteDefinition } from './types.ts';

export const routes: readonly RouteDefinition[] = [...adminRoutes];

export type RouteId = (typeof adminRoutes)[number]['id'];

export function routeById(id: string): RouteDefinition {
  const route = routes.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
}

export * from './types.ts';
