// SCIM 2.0 routes (`Authorization: Bearer <scim key>`), one Lambda per verb and resource.
import type { RouteDefinition } from './types.ts';

export const scimRoutes = [] as const satisfies readonly RouteDefinition[];
