// Admin console pages and the audit-event API. Console pages are browser routes with no API key at the gateway: each
// checks the dashboard session, the `admin` role and (on POST) CSRF itself (shared/console/route.ts). They need table
// write access even to read, because validating a session slides its idle timeout.
import { THROTTLE, type RouteDefinition } from './types.ts';

const page = (id: string, method: 'GET' | 'POST', path: string, entry: string) =>
  ({
    id,
    method,
    path,
    entry: `functions/console/${entry}.ts`,
    auth: 'none',
    surface: 'browser',
    table: 'write',
    throttle: method === 'GET' ? THROTTLE.read : THROTTLE.write,
  }) as const;

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
  {
    id: 'console-asset',
    method: 'GET',
    path: '/console/assets/{name}',
    entry: 'functions/console/asset.ts',
    auth: 'none',
    surface: 'browser',
    table: 'none',
    throttle: THROTTLE.read,
  },
  page('console-home', 'GET', '/console', 'home'),
  page('console-users', 'GET', '/console/users', 'users'),
  page('console-users-invite', 'POST', '/console/users', 'users-invite'),
  page('console-users-active', 'POST', '/console/users/{id}/active', 'users-active'),
  page('console-api-keys', 'GET', '/console/api-keys', 'api-keys'),
  page('console-api-keys-revoke', 'POST', '/console/api-keys/{id}/revoke', 'api-keys-revoke'),
  page('console-scim-enable', 'POST', '/console/scim', 'scim-enable'),
  page('console-ip-allowlist', 'GET', '/console/ip-allowlist', 'ip-allowlist'),
  page('console-ip-allowlist-save', 'POST', '/console/ip-allowlist', 'ip-allowlist-save'),
  page('console-audit', 'GET', '/console/audit', 'audit'),
] as const satisfies readonly RouteDefinition[];
