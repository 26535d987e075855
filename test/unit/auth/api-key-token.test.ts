import { describe, expect, test } from '@jest/globals';
import { bearerToken, hashSecret, mintToken, parseToken, secretMatches } from '../../../shared/auth/api-key-token.ts';

describe('API key tokens', () => {
  const accountId = '01a20625-d69b-71ec-9e3b-38ad340dfb01';

  test('a minted token names its account and key and verifies against its stored hash only', () => {
    const { token, secretHash, prefix } = mintToken(accountId, 'abc123');
    expect(token.startsWith(`${prefix}_`)).toBe(true);
    const parsed = parseToken(token);
    expect(parsed).toMatchObject({ accountId, keyId: 'abc123' });
    expect(secretHash).not.toContain(parsed?.secret);
    expect(secretMatches(parsed?.secret ?? '', secretHash)).toBe(true);
    expect(secretMatches('0'.repeat(64), secretHash)).toBe(false);
  });

  test('two tokens for the same key differ', () => {
    expect(mintToken(accountId, 'k').token).not.toBe(mintToken(accountId, 'k').token);
  });

  test.each([
    '',
    'ik',
    `ik_${accountId}_k`,
    `xx_${accountId}_k_${'a'.repeat(64)}`,
    `ik_${accountId}_k_${'a'.repeat(63)}`,
    `ik_${accountId}_k_${'A'.repeat(64)}`,
    `ik_${accountId}_k_${'a'.repeat(64)}_extra`,
    `ik_ACC_k_${'a'.repeat(64)}`,
  ])('refuses malformed token %j', (token) => {
    expect(parseToken(token)).toBeUndefined();
  });

  test('a stored hash of another length never matches', () => {
    expect(secretMatches('a'.repeat(64), hashSecret('x').slice(0, 10))).toBe(false);
  });

  test('bearer header parsing', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
