// Single Sign-On routes: the login page, SAML and OIDC steps, sessions (browser surface, no API key), and the admin
// routes that configure IdPs and domains.
import type { RouteDefinition } from './types.ts';

export const ssoRoutes = [] as const satisfies readonly RouteDefinition[];
