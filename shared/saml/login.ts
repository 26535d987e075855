// SP-initiated login: an AuthnRequest for the HTTP-Redirect binding (deflated, base64, in the query; unsigned, see sp.ts).
import type { Idp, SamlIdpConfig } from '../db/idps.ts';
import { identityProvider, serviceProvider } from './samlify.ts';

export function createAuthnRequest(idp: Idp & SamlIdpConfig): { id: string; location: string } {
  const { id, context } = serviceProvider(idp.id).createLoginRequest(identityProvider(idp), 'redirect');
  return { id, location: context };
}
