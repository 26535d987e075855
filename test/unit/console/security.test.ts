// Pure parts of the console: the session-bound CSRF token, the Origin check, allowlist text parsing.
import { expect, test } from '@jest/globals';
import { checkAllowlist } from '../../../shared/auth/ip-allowlist.ts';
import { allowlistLines } from '../../../shared/console/ip-allowlist-page.ts';
import { csrfToken, csrfTokenValid, originAllowed } from '../../../shared/console/security.ts';

const session = { id: 'a'.repeat(32), secretHash: 'b'.repeat(64) };

test('the CSRF token is stable per session and differs between sessions', () => {
  const token = csrfToken(session);
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(csrfToken(session)).toBe(token);
  expect(csrfToken({ ...session, id: 'c'.repeat(32) })).not.toBe(token);
  expect(csrfToken({ ...session, secretHash: 'd'.repeat(64) })).not.toBe(token);
});

test('only the exact token validates', () => {
  const token = csrfToken(session);
  expect(csrfTokenValid(session, token)).toBe(true);
  for (const wrong of [undefined, '', token.slice(1), `${token}x`, token.toUpperCase(), 'x'.repeat(500), ['x'], 42]) {
    expect(csrfTokenValid(session, wrong)).toBe(false);
  }
});

test('Origin must be exactly the public origin', () => {
  const before = process.env.PUBLIC_BASE_URL;
  process.env.PUBLIC_BASE_URL = 'https://id.example.com/prod';
  try {
    expect(originAllowed({ origin: 'https://id.example.com' })).toBe(true);
    for (const origin of [undefined, 'null', 'http://id.example.com', 'https://id.example.com.evil.example', 'https://evil.example']) {
      expect(originAllowed(origin === undefined ? {} : { origin })).toBe(false);
    }
  } finally {
    process.env.PUBLIC_BASE_URL = before;
  }
});

test('allowlist text: one entry a line or comma-separated, blanks ignored; checked like the API', () => {
  expect(allowlistLines(' 10.0.0.0/8\r\n\n2001:db8::/32, 192.0.2.1 ,\n')).toEqual(['10.0.0.0/8', '2001:db8::/32', '192.0.2.1']);
  expect(allowlistLines('')).toEqual([]);
  expect(checkAllowlist(['10.0.0.0/8', '10.0.0.0/8', '192.0.2.1'])).toEqual({ ok: true, cidrs: ['10.0.0.0/8', '192.0.2.1'] });
  expect(checkAllowlist(['10.0.0.0/8', 'nope', '10.0.0.0/40'])).toEqual({
    ok: false,
    problems: ['"nope" is not an IPv4 or IPv6 address or CIDR', '"10.0.0.0/40" has a prefix length outside 0–32'],
  });
});
