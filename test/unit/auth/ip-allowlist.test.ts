import { describe, expect, test } from '@jest/globals';
import { ipAllowed, normaliseIp, parseCidr } from '../../../shared/auth/ip-allowlist.ts';

describe('parseCidr', () => {
  test.each([
    ['203.0.113.0/24', { address: '203.0.113.0', prefix: 24, family: 'ipv4' }],
    ['2001:db8::/32', { address: '2001:db8::', prefix: 32, family: 'ipv6' }],
    ['198.51.100.7', { address: '198.51.100.7', prefix: 32, family: 'ipv4' }],
    ['::1', { address: '::1', prefix: 128, family: 'ipv6' }],
  ])('accepts %s', (input, expected) => {
    expect(parseCidr(input)).toEqual(expected);
  });

  test.each(['10.0.0.0/33', '2001:db8::/129', 'example.com', '10.0.0.0/', '10.0.0.0/1/2', '10.0.0.0/+8', '300.1.1.1/8', ''])(
    'refuses %s with a message',
    (input) => {
      expect(typeof parseCidr(input)).toBe('string');
    },
  );
});

describe('ipAllowed', () => {
  const list = ['203.0.113.0/24', '2001:db8::/32'];

  test('no list, or an empty one, allows everyone', () => {
    expect(ipAllowed(undefined, '198.51.100.1')).toBe(true);
    expect(ipAllowed([], '198.51.100.1')).toBe(true);
  });

  test('IPv4 inside and outside', () => {
    expect(ipAllowed(list, '203.0.113.77')).toBe(true);
    expect(ipAllowed(list, '203.0.114.1')).toBe(false);
  });

  test('IPv6 inside and outside', () => {
    expect(ipAllowed(list, '2001:db8:1::5')).toBe(true);
    expect(ipAllowed(list, '2001:db9::1')).toBe(false);
  });

  test('IPv4-mapped IPv6 is the IPv4 address', () => {
    expect(normaliseIp('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(ipAllowed(list, '::ffff:203.0.113.9')).toBe(true);
    expect(ipAllowed(list, '::ffff:198.51.100.9')).toBe(false);
  });

  test('an unparseable source never matches a non-empty list', () => {
    expect(ipAllowed(list, 'unknown')).toBe(false);
    expect(ipAllowed(list, '')).toBe(false);
  });
});
