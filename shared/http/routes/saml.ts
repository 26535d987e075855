// SAML 2.0 service-provider routes (browser surface, no API key): SP metadata, SP-initiated login, the ACS.
import type { RouteDefinition } from './types.ts';

export const samlRoutes = [] as const satisfies readonly RouteDefinition[];
