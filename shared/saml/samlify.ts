// samlify, configured once per process (with its XML schema validator), and the SP/IdP entities it works with.
import * as samlify from 'samlify';
import type { SamlIdpConfig } from '../db/idps.ts';
import { validateSamlSchema } from './schema.ts';
import { CLOCK_SKEW_MS, spDetails } from './sp.ts';
import { BINDING } from './xml.ts';

samlify.setSchemaValidator({ validate: validateSamlSchema });

export function serviceProvider(idpId: string) {
  const sp = spDetails(idpId);
  return samlify.ServiceProvider({
    entityID: sp.entityId,
    assertionConsumerService: [{ Binding: BINDING.post, Location: sp.acsUrl }],
    // AuthnRequests are not signed: they carry nothing secret, and what protects the login is that the ACS only accepts
    // responses answering a request id we stored (or unsolicited ones where the admin allowed them).
    authnRequestsSigned: false,
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    clockDrifts: [-CLOCK_SKEW_MS, CLOCK_SKEW_MS],
  });
}

export function identityProvider(config: SamlIdpConfig) {
  return samlify.IdentityProvider({
    entityID: config.entityId,
    singleSignOnService: [{ Binding: BINDING.redirect, Location: config.ssoUrl }],
    signingCert: config.certificates.map(toPem),
    wantAuthnRequestsSigned: false,
  });
}

export function toPem(base64Der: string): string {
  const body = base64Der.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${body.trim()}\n-----END CERTIFICATE-----\n`;
}
