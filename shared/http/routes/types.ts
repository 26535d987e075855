// The shape of one route: data only, so the CDK stack and the local server can read the table without importing handlers.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call the route:
 * - `none`: anyone (browser routes, SAML/OIDC callbacks); the handler decides.
 * - `operator`: the deployment's operator key, checked by the handler.
 * - `admin` / `scim`: an API key with that scope, checked by the Lambda authorizer before the handler runs.
 */
export type RouteAuth = 'none' | 'operator' | 'admin' | 'scim';

/** Which table actions the route's function is granted. */
export type TableAccess = 'none' | 'read' | 'write';

/** How the error renderer speaks to the caller. */
export type Surface = 'admin' | 'scim' | 'browser';

export interface Throttle {
  /** Steady-state requests per second for this method, across all callers. */
  rateLimit: number;
  burstLimit: number;
}

export interface RouteDefinition {
  /** Stable name, used by urlFor() and as the function's logical id. */
  id: string;
  method: HttpMethod;
  /** API Gateway resource path, `{name}` for a path parameter. */
  path: string;
  /** Handler file relative to the repository root; it exports `handler`. */
  entry: string;
  auth: RouteAuth;
  surface: Surface;
  table: TableAccess;
  throttle: Throttle;
  /** Secrets the function may read (by logical name in the stack). */
  secrets?: readonly ('operatorKey' | 'idpSecrets')[];
  /**
   * Packages installed into the function's asset (`npm install`) instead of bundled: for dependencies that read files
   * next to their code at run time (.wasm, .xsd), which esbuild cannot follow. Pure JS/wasm only (the install runs on
   * the build machine, not on Lambda's platform).
   */
  nodeModules?: readonly string[];
}

/** Sensible defaults by kind of route; the README's rate-limit table quotes these. */
export const THROTTLE = {
  read: { rateLimit: 50, burstLimit: 100 },
  write: { rateLimit: 25, burstLimit: 50 },
  login: { rateLimit: 20, burstLimit: 40 },
  operator: { rateLimit: 2, burstLimit: 5 },
} as const satisfies Record<string, Throttle>;
