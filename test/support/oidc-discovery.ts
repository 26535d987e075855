// A minimal OpenID Provider discovery endpoint on 127.0.0.1 (port 0): enough for issuer validation when an admin adds
// an OIDC IdP. The full login flow is tested against `oidc-provider` with the OIDC routes.
import { createServer } from 'node:http';

export interface DiscoveryServer {
  issuer: string;
  stop(): Promise<void>;
}

export async function startDiscoveryServer(): Promise<DiscoveryServer> {
  let issuer = '';
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/openid-configuration') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  issuer = `http://127.0.0.1:${address.port}`;
  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
