// samlify's XML schema validator: libxml2 compiled to WebAssembly (xmllint-wasm: runs in Lambda without a JVM or native
// binary) against the SAML 2.0 protocol/assertion XSDs shipped by @authenio/samlify-xmllint-wasm.
// xmllint-wasm's own `validateXML` starts a worker and compiles its 800 KB module for every document (~100 ms idle, far
// more on a busy machine); here one long-lived worker compiles it once and runs each validation on a fresh instance.
// Nothing of the document is logged (that package's `validate` prints validation output to the console).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { logger } from '../http/logger.ts';

const SCHEMA_FILES = [
  'saml-schema-protocol-2.0.xsd',
  'datatypes.dtd',
  'saml-schema-assertion-2.0.xsd',
  'xmldsig-core-schema.xsd',
  'XMLSchema.dtd',
  'xenc-schema.xsd',
] as const;

/** A validation that takes longer than this is a failure (and the worker is replaced). */
const VALIDATION_TIMEOUT_MS = 10_000;

// Runs in the worker. Messages arrive on a private port, not parentPort: xmllint-node.js installs its own one-shot
// parentPort listener when loaded, which must never see our messages.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const createXmllint = require(workerData.xmllintPath);
const compiled = new WebAssembly.Module(readFileSync(workerData.wasmPath));
const decoder = new TextDecoder();
workerData.port.on('message', ({ id, inputFiles, args }) => {
  const stderr = [];
  let done = false;
  const finish = (exitCode) => {
    if (done) return;
    done = true;
    workerData.port.postMessage({ id, exitCode, stderr: decoder.decode(Uint8Array.from(stderr)) });
  };
  Promise.resolve()
    .then(() => createXmllint({
      inputFiles,
      arguments: args,
      stdout: () => {},
      stderr: (byte) => stderr.push(byte),
      onExit: finish,
      wasmMemory: new WebAssembly.Memory({ initial: 256, maximum: 512 }),
      instantiateWasm: (imports, receive) => {
        WebAssembly.instantiate(compiled, imports).then(receive, () => finish(-1));
        return {};
      },
    }))
    .catch(() => {})
    .finally(() => setTimeout(() => finish(-1), 0));
});
`;

interface Pending {
  resolve: (exitCode: number) => void;
  timer: NodeJS.Timeout;
}

let schemas: { fileName: string; contents: string }[] | undefined;
let pool: { port: MessagePort; worker: Worker; pending: Map<number, Pending> } | undefined;
let nextId = 0;

function loadSchemas(): { fileName: string; contents: string }[] {
  if (!schemas) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@authenio/samlify-xmllint-wasm')), 'schemas');
    schemas = SCHEMA_FILES.map((fileName) => ({ fileName, contents: readFileSync(join(dir, fileName), 'utf8') }));
  }
  return schemas;
}

function xmllint(): NonNullable<typeof pool> {
  if (pool) return pool;
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('xmllint-wasm'));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { xmllintPath: join(packageDir, 'xmllint-node.js'), wasmPath: join(packageDir, 'xmllint.wasm'), port: port2 },
    transferList: [port2],
  });
  const pending = new Map<number, Pending>();
  const current = { port: port1, worker, pending };
  const reset = () => {
    if (pool === current) pool = undefined;
    for (const entry of pending.values()) {
      clearTimeout(entry.timer);
      entry.resolve(-1);
    }
    pending.clear();
    port1.close();
    void worker.terminate();
  };
  port1.on('message', (message: { id: number; exitCode: number }) => {
    const entry = pending.get(message.id);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(message.id);
    entry.resolve(message.exitCode);
  });
  worker.on('error', reset);
  worker.on('exit', reset);
  // An idle validator must not keep a process (a test run, `npm start`'s shutdown) alive.
  worker.unref();
  port1.unref();
  pool = current;
  return current;
}

function runXmllint(xml: string, loaded: { fileName: string; contents: string }[]): Promise<number> {
  const [schema] = loaded;
  const { port, pending } = xmllint();
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve(-1);
      // A stuck run holds the worker: replace it.
      if (pool) void pool.worker.terminate();
    }, VALIDATION_TIMEOUT_MS);
    pending.set(id, { resolve, timer });
    port.postMessage({
      id,
      inputFiles: [{ fileName: 'message.xml', contents: xml }, ...loaded],
      args: ['--schema', schema?.fileName ?? '', '--noout', '--nonet', 'message.xml'],
    });
  });
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
  const exitCode = await runXmllint(xml, loaded).catch(() => -1);
  if (exitCode !== 0) throw new Error('ERR_SCHEMA_INVALID');
  return 'valid';
}
