// Settings read from the environment; a missing one fails at first use with its name, never with undefined behaviour.
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing required setting ${name}`);
  return value;
}

/** How long a cached authorizer decision may outlive a revocation (seconds). The stack and the docs use this value. */
export const AUTHORIZER_CACHE_TTL_SECONDS = 60;

/** last-used time of an API key is written at most once per key per this many seconds. */
export const LAST_USED_GRANULARITY_SECONDS = 300;

/** Default API key lifetime: six months. */
export const DEFAULT_API_KEY_LIFETIME_DAYS = 182;

/** Largest request body any route accepts (bytes). */
export const MAX_BODY_BYTES = 256 * 1024;
