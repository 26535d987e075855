// URLs we emit (ACS, redirect_uri, SCIM meta.location, SP metadata) are built from the route table, never by hand.
import { requireEnv } from '../config.ts';
import { routeById, type RouteId } from './routes/index.ts';

export function pathFor(routeId: RouteId, params: Record<string, string> = {}): string {
  return routeById(routeId).path.replace(/\{(\w+)\+?\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`urlFor(${routeId}) needs ${name}`);
    return encodeURIComponent(value);
  });
}

/** Absolute URL on the public base (PUBLIC_BASE_URL: the custom domain, or the API stage URL). */
export function urlFor(routeId: RouteId, params: Record<string, string> = {}): string {
  return `${requireEnv('PUBLIC_BASE_URL').replace(/\/$/, '')}${pathFor(routeId, params)}`;
}
