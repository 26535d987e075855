// Local passwords: argon2id with OWASP's baseline (m = 19 MiB, t = 2, p = 1), in the standard PHC string format. The
// argon2 core is hash-wasm's WebAssembly build: it bundles into the Lambda as is on any architecture (a native addon
// would need a per-platform binary in the asset). Only users who had a password before SSO have one. Verification costs
// the same whether or not there is a user or a hash to check, so timing does not tell an attacker which emails exist.
import argon2 from 'hash-wasm/dist/argon2.umd.min.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';

const { argon2id } = argon2;

const PARAMS = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 } as const;

/** A hash of a random string nobody knows, with the same parameters, for the no-such-user path. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$yCPzZOLL4W8sIR9pz5PyTA$piYiq3vZP54umsZQNnEEhMjQf87+WTPt/nNMho1HYu4';

/** Longer inputs are refused before hashing, so a huge password cannot cost us more than a normal one. */
export const MAX_PASSWORD_LENGTH = 1024;

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export async function hashPassword(password: string): Promise<string> {
  return argon2id({ password, salt: randomBytes(16), ...PARAMS, outputType: 'encoded' });
}

interface Parsed {
  memorySize: number;
  iterations: number;
  parallelism: number;
  salt: Buffer;
  hash: Buffer;
}

function parse(encoded: string): Parsed | undefined {
  const m = PHC.exec(encoded);
  if (!m) return undefined;
  const [memorySize, iterations, parallelism] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Stored hashes are ours; still, never let a stored string make us spend more than our own parameters allow.
  if (memorySize > 65_536 || iterations > 10 || parallelism > 4) return undefined;
  return { memorySize, iterations, parallelism, salt: Buffer.from(m[4]!, 'base64'), hash: Buffer.from(m[5]!, 'base64') };
}

/** True only when `storedHash` exists and matches; the work done is the same when it does not exist. */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  const parsed = parse(storedHash ?? '') ?? (parse(DUMMY_HASH) as Parsed);
  const computed = await argon2id({
    password,
    salt: parsed.salt,
    memorySize: parsed.memorySize,
    iterations: parsed.iterations,
    parallelism: parsed.parallelism,
    hashLength: parsed.hash.length,
    outputType: 'binary',
  });
  const matches = computed.length === parsed.hash.length && timingSafeEqual(Buffer.from(computed), parsed.hash);
  return storedHash !== undefined && parse(storedHash) !== undefined && matches;
}
