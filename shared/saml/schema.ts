// samlify's XML schema validator: libxml2 compiled to WebAssembly (xmllint-wasm, runs in Lambda without a JVM or native
// binary) against the SAML 2.0 protocol/assertion XSDs shipped by @authenio/samlify-xmllint-wasm. We call xmllint-wasm
// ourselves rather than through that package's `validate`, because it prints validation output (document content) to
// the console; here nothing of the document is logged.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { logger } from '../http/logger.ts';

const SCHEMA_FILES = [
  'saml-schema-protocol-2.0.xsd',
  'datatypes.dtd',
  'saml-schema-assertion-2.0.xsd',
  'xmldsig-core-schema.xsd',
  'XMLSchema.dtd',
  'xenc-schema.xsd',
] as const;

let schemas: { fileName: string; contents: string }[] | undefined;

function loadSchemas(): { fileName: string; contents: string }[] {
  if (!schemas) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@authenio/samlify-xmllint-wasm')), 'schemas');
    schemas = SCHEMA_FILES.map((fileName) => ({ fileName, contents: readFileSync(join(dir, fileName), 'utf8') }));
  }
  return schemas;
}

/** Resolves when `xml` is schema-valid SAML; rejects with a fixed message otherwise (samlify treats a rejection as invalid). */
export async function validateSamlSchema(xml: string): Promise<string> {
  let loaded: { fileName: string; contents: string }[];
  try {
    loaded = loadSchemas();
  } catch (error) {
    // Fail closed, loudly: without the XSDs no response is accepted, and the operator must hear about it.
    logger.error('SAML schema files unavailable; every SAML response will be refused', { error: (error as Error).name });
    throw new Error('ERR_SCHEMA_UNAVAILABLE');
  }
  const [schema, ...preload] = loaded;
  const result = await validateXML({
    xml: [{ fileName: 'message.xml', contents: xml }],
    extension: 'schema',
    schema: [schema as { fileName: string; contents: string }],
    preload,
  }).catch(() => ({ valid: false }));
  if (!result.valid) throw new Error('ERR_SCHEMA_INVALID');
  return 'valid';
}
