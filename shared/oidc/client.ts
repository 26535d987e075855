// openid-client set-up: which issuers we talk to (https, or http on loopback only when ALLOW_INSECURE_LOOPBACK_IDP=1),
// discovery with a timeout, and one Configuration per IdP version cached per container (its JWKS cache rides along).
import * as oidc from 'openid-client';
import { BadRequest } from '../http/errors.ts';

const DISCOVERY_TIMEOUT_SECONDS = 5;
const CACHE_MS = 10 * 60_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const insecureLoopbackAllowed = (): boolean => process.env.ALLOW_INSECURE_LOOPBACK_IDP === '1';

/** The issuer as a URL we may call, or a BadRequest saying why not. */
export function issuerUrl(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new BadRequest('issuer must be an absolute https URL');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new BadRequest('issuer must not contain credentials, a query or a fragment');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && insecureLoopbackAllowed() && LOOPBACK_HOSTS.has(url.hostname)) return url;
  throw new BadRequest('issuer must be an https URL');
}

function discoveryOptions(url: URL): oidc.DiscoveryRequestOptions {
  return { timeout: DISCOVERY_TIMEOUT_SECONDS, ...(url.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}) };
}

/** The client authentication the IdP supports: client_secret_basic (the default when unstated), else client_secret_post. */
function clientAuth(server: oidc.ServerMetadata, secret: string | undefined): oidc.ClientAuth {
  if (secret === undefined) return oidc.None();
  const methods = server.token_endpoint_auth_methods_supported;
  if (!methods || methods.includes('client_secret_basic')) return oidc.ClientSecretBasic(secret);
  if (methods.includes('client_secret_post')) return oidc.ClientSecretPost(secret);
  throw new BadRequest('The identity provider supports neither client_secret_basic nor client_secret_post');
}

const ASYMMETRIC_ALGS = ['RS256', 'PS256', 'ES256', 'RS384', 'PS384', 'ES384', 'RS512', 'PS512', 'ES512', 'EdDSA'];

/**
 * The one ID-token signing algorithm we accept from this IdP: RS256 when offered (the spec's default), else its first
 * asymmetric one. Never `none` or HMAC (an HS256 token keyed with the client secret proves nothing about the IdP).
 */
function idTokenAlg(server: oidc.ServerMetadata): string {
  const supported = server.id_token_signing_alg_values_supported;
  if (!supported || supported.includes('RS256')) return 'RS256';
  const alg = supported.find((a) => ASYMMETRIC_ALGS.includes(a));
  if (!alg) throw new BadRequest('The identity provider signs ID tokens only with algorithms we refuse (none or HMAC)');
  return alg;
}

/** Runs discovery; failures become a BadRequest a person can act on. */
export async function discover(issuer: string, clientId: string, clientSecret?: string): Promise<oidc.Configuration> {
  const url = issuerUrl(issuer);
  let discovered: oidc.Configuration;
  try {
    discovered = await oidc.discovery(url, clientId, undefined, oidc.None(), discoveryOptions(url));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BadRequest(`Could not read OpenID Connect discovery from ${url.href}: ${reason.slice(0, 200)}`);
  }
  const server = discovered.serverMetadata();
  if (!server.authorization_endpoint || !server.token_endpoint || !server.jwks_uri) {
    throw new BadRequest(`The discovery document of ${url.href} lacks an authorization, token or JWKS endpoint`);
  }
  const config = new oidc.Configuration(
    server,
    clientId,
    { id_token_signed_response_alg: idTokenAlg(server) },
    clientAuth(server, clientSecret),
  );
  config.timeout = DISCOVERY_TIMEOUT_SECONDS;
  // OIDC lets a client skip the ID token's signature when it came straight from the token endpoint over TLS; we check it
  // anyway (against the discovered JWKS), so a token endpoint answer altered anywhere on the way is refused too.
  oidc.enableNonRepudiationChecks(config);
  if (url.protocol === 'http:') oidc.allowInsecureRequests(config);
  return config;
}

const cache = new Map<string, { config: Promise<oidc.Configuration>; until: number }>();

/**
 * The Configuration of one IdP version (with or without its client secret), from this container's cache when fresh.
 * `secret` is called only on a cache miss.
 */
export async function configurationFor(
  idp: { id: string; version: number; issuer: string; clientId: string },
  secret?: () => Promise<string>,
): Promise<oidc.Configuration> {
  const cacheKey = `${idp.id}:${idp.version}:${secret ? 'secret' : 'public'}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.until > Date.now()) return hit.config;
  const config = (async () => discover(idp.issuer, idp.clientId, secret ? await secret() : undefined))();
  cache.set(cacheKey, { config, until: Date.now() + CACHE_MS });
  config.catch(() => cache.delete(cacheKey));
  return config;
}
