// OpenID Connect relying-party routes (browser surface, no API key): authorization request and callback.
import { THROTTLE, type RouteDefinition } from './types.ts';

export const oidcRoutes = [
  {
    id: 'oidc-login',
    method: 'GET',
    path: '/sso/oidc/{idpId}/login',
    entry: 'functions/oidc/login.ts',
    auth: 'none',
    surface: 'browser',
    table: 'write',
    throttle: THROTTLE.login,
  },
  {
    id: 'oidc-callback',
    method: 'GET',
    path: '/sso/oidc/{idpId}/callback',
    entry: 'functions/oidc/callback.ts',
    auth: 'none',
    surface: 'browser',
    table: 'write',
    throttle: THROTTLE.login,
    secrets: ['idpSecrets'],
  },
] as const satisfies readonly RouteDefinition[];
