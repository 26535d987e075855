// argon2id passwords: our hashes verify, wrong passwords and missing hashes do not, and hashes made by the reference
// implementation's binding (@node-rs/argon2, which this code replaced) still verify — stored hashes keep working.
import { describe, expect, test } from '@jest/globals';
import { hashPassword, verifyPassword } from '../../../shared/sso/password.ts';

// Made with @node-rs/argon2 2.x `hash('correct horse battery staple')` (its defaults: m=19456, t=2, p=1).
const REFERENCE = '$argon2id$v=19$m=19456,t=2,p=1$HJK1Ki0lv0/khwr8Xdrfpg$gXoME+PJvFWOw86hEBRMxGJ92eGs7W89ao/KDwQsmQI';

describe('passwords', () => {
  test('a fresh hash is argon2id with the OWASP baseline parameters and a random salt, and verifies', async () => {
    const one = await hashPassword('s3cret pass');
    const two = await hashPassword('s3cret pass');
    expect(one).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword(one, 's3cret pass')).toBe(true);
    expect(await verifyPassword(one, 's3cret pasS')).toBe(false);
  });

  test('a hash made by the reference binding verifies, and only with its password', async () => {
    expect(await verifyPassword(REFERENCE, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(REFERENCE, 'correct horse battery stapler')).toBe(false);
  });

  test('no hash, a malformed hash or absurd parameters never verify', async () => {
    expect(await verifyPassword(undefined, 'anything')).toBe(false);
    expect(await verifyPassword('plain', 'plain')).toBe(false);
    expect(await verifyPassword(REFERENCE.replace('m=19456', 'm=9999999'), 'correct horse battery staple')).toBe(false);
  });
});
