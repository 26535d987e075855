// SAML 2.0 service-provider routes (browser surface, no API key): SP metadata, SP-initiated login, the ACS.
import { THROTTLE, type RouteDefinition } from './types.ts';

export const samlRoutes = [
  {
    id: 'saml-metadata',
    method: 'GET',
    path: '/sso/saml/{idpId}/metadata',
    entry: 'functions/saml/metadata.ts',
    auth: 'none',
    surface: 'browser',
    table: 'read',
    throttle: THROTTLE.read,
  },
  {
    id: 'saml-login',
    method: 'GET',
    path: '/sso/saml/{idpId}/login',
    entry: 'functions/saml/login.ts',
    auth: 'none',
    surface: 'browser',
    table: 'write',
    throttle: THROTTLE.login,
  },
  {
    id: 'saml-acs',
    method: 'POST',
    path: '/sso/saml/{idpId}/acs',
    entry: 'functions/saml/acs.ts',
    auth: 'none',
    surface: 'browser',
    table: 'write',
    throttle: THROTTLE.login,
    // Schema validation reads xmllint's .wasm and the SAML XSDs from disk at run time: installed, not bundled.
    nodeModules: ['xmllint-wasm', '@authenio/samlify-xmllint-wasm'],
  },
] as const satisfies readonly RouteDefinition[];
