// Local passwords (argon2id, @node-rs/argon2 defaults: m=19 MiB, t=2, p=1 — OWASP's baseline). Only users who had a
// password before SSO have one. Verification costs the same whether or not there is a user or a hash to check, so
// timing does not tell an attacker which emails exist.
import { hash, verify } from '@node-rs/argon2';

/** A hash of a random string nobody knows, with the same parameters, for the no-such-user path. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$yCPzZOLL4W8sIR9pz5PyTA$piYiq3vZP54umsZQNnEEhMjQf87+WTPt/nNMho1HYu4';

/** Longer inputs are refused before hashing, so a huge password cannot cost us more than a normal one. */
export const MAX_PASSWORD_LENGTH = 1024;

export const hashPassword = (password: string): Promise<string> => hash(password);

/** True only when `storedHash` exists and matches; the work done is the same when it does not exist. */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  try {
    const matches = await verify(storedHash ?? DUMMY_HASH, password);
    return storedHash !== undefined && matches;
  } catch {
    return false;
  }
}
