// OpenID Connect relying-party routes (browser surface, no API key): authorization request and callback.
import type { RouteDefinition } from './types.ts';

export const oidcRoutes = [] as const satisfies readonly RouteDefinition[];
