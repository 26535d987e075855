// A real OpenID Connect provider for the tests (panva's oidc-provider, the same one `npm start` runs) plus a tiny
// browser: manual redirects and a cookie jar, so a test walks the whole code flow over HTTP as a person's browser would.
// Tests that play a malicious or broken IdP swap the ID token in the token endpoint's answer (`forgeIdToken`), signing
// with the IdP's real key, an HMAC key or none — the relying party must still refuse.
import { createPrivateKey, createHmac, randomBytes, sign } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import {
  generateSigningJwk,
  startDemoOidcIdp,
  type DemoOidcClient,
  type DemoOidcIdp,
  type DemoOidcUser,
} from '../../infra/local/demo-oidc-idp.ts';
import { idpSecretContext, sealSecret } from '../../shared/auth/secret-box.ts';
import { updateAccountSettings, type Provisioning } from '../../shared/db/accounts.ts';
import type { AuditEvent } from '../../shared/db/audit.ts';
import { addDomain, markDomainVerified } from '../../shared/db/domains.ts';
import { createIdp } from '../../shared/db/idps.ts';
import { newId } from '../../shared/ids.ts';
import { oidcIdpFromInput } from '../../shared/oidc/idp-config.ts';
import { createTestAccount, type TestStack } from './stack.ts';

export interface JwtParts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export interface TestOidcIdp extends DemoOidcIdp {
  signingKey: Record<string, unknown>;
  /** When set, the token endpoint's id_token is replaced by what this returns for the genuine token's header and claims. */
  forgeIdToken?: (genuine: JwtParts) => string;
}

export async function startTestOidcIdp(options: { clients: DemoOidcClient[]; users: DemoOidcUser[] }): Promise<TestOidcIdp> {
  const signingKey = generateSigningJwk();
  const idp = (await startDemoOidcIdp({ ...options, signingKey })) as TestOidcIdp;
  idp.signingKey = signingKey;
  idp.provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && idp.forgeIdToken && body && typeof body.id_token === 'string') {
      ctx.body = { ...body, id_token: idp.forgeIdToken(decodeJwt(body.id_token)) };
    }
  });
  return idp;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeJwt(token: string): JwtParts {
  const [header = '', claims = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

/** RS256 with a private JWK (the IdP's own, or another). */
export function signRs256(parts: JwtParts, jwk: Record<string, unknown>): string {
  const input = `${b64({ ...parts.header, alg: 'RS256', kid: jwk.kid })}.${b64(parts.claims)}`;
  const key = createPrivateKey({ key: jwk as never, format: 'jwk' });
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export function signHs256(parts: JwtParts, secret: string): string {
  const input = `${b64({ ...parts.header, alg: 'HS256', kid: undefined })}.${b64(parts.claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function unsigned(parts: JwtParts): string {
  return `${b64({ typ: 'JWT', alg: 'none' })}.${b64(parts.claims)}.`;
}

export { generateSigningJwk };

export const randomSecret = (): string => randomBytes(24).toString('hex');

interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

export interface BrowserResponse {
  status: number;
  url: string;
  location?: string;
  setCookies: string[];
  text: string;
}

/** A cookie-keeping HTTP client with manual redirects. Like a browser, it keys cookies by host name, not port. */
export class Browser {
  private cookies: StoredCookie[] = [];

  cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => c.host === url.hostname && url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.find((c) => c.name === name)?.value;
  }

  dropCookie(name: string): void {
    this.cookies = this.cookies.filter((c) => c.name !== name);
  }

  setCookie(name: string, value: string, host = '127.0.0.1'): void {
    this.dropCookie(name);
    this.cookies.push({ name, value, host, path: '/' });
  }

  private store(url: URL, header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attr = (n: string) => attributes.find((a) => a.toLowerCase().startsWith(`${n}=`))?.split('=')[1];
    const path = attr('path') ?? '/';
    const expired = attr('max-age') === '0' || /1970/.test(attr('expires') ?? '');
    this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === url.hostname && c.path === path));
    if (!expired) this.cookies.push({ name, value, host: url.hostname, path });
  }

  /** One request, no redirect following. */
  async request(method: string, target: string, form?: Record<string, string>): Promise<BrowserResponse> {
    const url = new URL(target);
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(url);
    if (cookie) headers.Cookie = cookie;
    if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method,
      headers,
      redirect: 'manual',
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) this.store(url, header);
    const location = response.headers.get('location') ?? undefined;
    return {
      status: response.status,
      url: url.href,
      location: location ? new URL(location, url).href : undefined,
      setCookies,
      text: await response.text(),
    };
  }

  /**
   * Follows redirects from `target`. Stops at the first response that is not a redirect, or — without requesting it — at a
   * redirect target for which `stopBefore` is true (then `location` is that target).
   */
  async navigate(
    target: string,
    options: { method?: string; form?: Record<string, string>; stopBefore?: (url: URL) => boolean } = {},
  ): Promise<BrowserResponse> {
    let response = await this.request(options.method ?? 'GET', target, options.form);
    for (let hops = 0; response.location && hops < 20; hops++) {
      if (options.stopBefore?.(new URL(response.location))) return response;
      response = await this.request('GET', response.location);
    }
    return response;
  }
}

/** Fills the demo IdP's sign-in form on `page` and submits it, following redirects (see `navigate`). */
export async function signInAtIdp(
  browser: Browser,
  page: BrowserResponse,
  credentials: { email: string; password: string },
  stopBefore?: (url: URL) => boolean,
): Promise<BrowserResponse> {
  const action = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1];
  if (!action) throw new Error(`no sign-in form at ${page.url} (${page.status}): ${page.text.slice(0, 300)}`);
  return browser.navigate(new URL(action, page.url).href, { method: 'POST', form: credentials, stopBefore });
}

/**
 * Gives an account an OIDC IdP row without any provider behind it (no discovery): enough for rules that only need the
 * account to have an IdP, such as minting a key with the scim scope.
 */
export async function addPlaceholderIdp(db: TestStack['db'], accountId: string): Promise<string> {
  const id = newId();
  await createIdp(
    db,
    accountId,
    {
      id,
      description: 'Placeholder IdP',
      type: 'oidc',
      issuer: 'https://idp.invalid',
      clientId: 'placeholder',
      clientSecretEncrypted: await sealSecret('placeholder', idpSecretContext(accountId, id)),
    },
    { accountId, action: 'idp.created', actor: { type: 'system', id: 'test' }, outcome: 'success' },
  );
  return id;
}

export interface OidcTestAccount {
  accountId: string;
  adminKey: string;
  domain: string;
  idpId: string;
  clientId: string;
  clientSecret: string;
  idp: TestOidcIdp;
  /** Our login start URL for this IdP. */
  loginUrl(query?: Record<string, string>): string;
  /** Is this our callback URL (the IdP redirecting back to us)? */
  isCallback(url: URL): boolean;
}

/**
 * An account with a verified domain, the given provisioning mode and one OIDC IdP: a real oidc-provider with a client
 * registered for our callback, configured through oidcIdpFromInput (real discovery, sealed secret).
 */
export async function createOidcTestAccount(
  stack: TestStack,
  options: { provisioning?: Provisioning; domain?: string; users: DemoOidcUser[]; extraClients?: DemoOidcClient[] },
): Promise<OidcTestAccount> {
  const { id: accountId, adminKey } = await createTestAccount(stack, 'OIDC Test');
  const system = (action: string): AuditEvent => ({ accountId, action, actor: { type: 'system', id: 'test' }, outcome: 'success' });
  await updateAccountSettings(stack.db, accountId, { provisioning: options.provisioning ?? 'jit' }, system('account.settings.updated'));
  const domain = options.domain ?? `${randomBytes(4).toString('hex')}.example`;
  await addDomain(stack.db, accountId, domain);
  await markDomainVerified(stack.db, accountId, domain, system('domain.verified'));
  const idpId = newId();
  const clientId = `rp-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomSecret();
  const callback = `${stack.baseUrl}/sso/oidc/${idpId}/callback`;
  const idp = await startTestOidcIdp({
    clients: [{ clientId, clientSecret, redirectUris: [callback] }, ...(options.extraClients ?? [])],
    users: options.users,
  });
  try {
    const config = await oidcIdpFromInput({ issuer: idp.issuer, clientId, clientSecret }, { accountId, idpId });
    await createIdp(stack.db, accountId, { id: idpId, description: 'Test OIDC IdP', ...config }, system('idp.created'));
  } catch (error) {
    await idp.stop();
    throw error;
  }
  return {
    accountId,
    adminKey,
    domain,
    idpId,
    clientId,
    clientSecret,
    idp,
    loginUrl: (query = {}) => {
      const url = new URL(`${stack.baseUrl}/sso/oidc/${idpId}/login`);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      return url.href;
    },
    isCallback: (url: URL) => url.href.startsWith(callback),
  };
}
