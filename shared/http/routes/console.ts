// Admin console pages and the audit-event API.
import type { RouteDefinition } from './types.ts';

export const consoleRoutes = [] as const satisfies readonly RouteDefinition[];
