// Single Sign-On routes: the login page, SAML and OIDC steps, sessions (browser surface, no API key), and the admin
// routes that configure IdPs and domains.
import { THROTTLE, type RouteDefinition } from './types.ts';

export const ssoRoutes = [
  {
    id: 'domains-create',
    method: 'POST',
    path: '/api/v1/domains',
    entry: 'functions/sso/domains-create.ts',
    auth: 'admin',
    surface: 'admin',
    table: 'write',
    throttle: THROTTLE.write,
  },
  {
    id: 'domains-list',
    method: 'GET',
    path: '/api/v1/domains',
    entry: 'functions/sso/domains-list.ts',
    auth: 'admin',
    surface: 'admin',
    table: 'read',
    throttle: THROTTLE.read,
  },
  {
    id: 'domains-verify',
    method: 'POST',
    path: '/api/v1/domains/{domain}/verify',
    entry: 'functions/sso/domains-verify.ts',
    auth: 'admin',
    surface: 'admin',
    table: 'write',
    throttle: THROTTLE.write,
  },
] as const satisfies readonly RouteDefinition[];
