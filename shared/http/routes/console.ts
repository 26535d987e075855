// Admin console pages and the audit-event API.
import { THROTTLE, type RouteDefinition } from './types.ts';

export const consoleRoutes = [
  {
    id: 'audit-events-list',
    method: 'GET',
    path: '/api/v1/audit-events',
    entry: 'functions/admin/audit-events-list.ts',
    auth: 'admin',
    surface: 'admin',
    table: 'read',
    throttle: THROTTLE.read,
  },
] as const satisfies readonly RouteDefinition[];
