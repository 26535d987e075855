import { expect, test } from '@jest/globals';
import { checkDomainName } from '../../../shared/sso/domain-name.ts';

test('accepts host names, normalised to lower case without the trailing dot', () => {
  expect(checkDomainName(' Example.COM. ')).toEqual({ domain: 'example.com' });
  expect(checkDomainName('xn--bcher-kva.de')).toEqual({ domain: 'xn--bcher-kva.de' });
  expect(checkDomainName('a-b.c-d.example.co.uk')).toEqual({ domain: 'a-b.c-d.example.co.uk' });
});

test.each([
  ['', 'must not be empty'],
  ['localhost', 'at least one dot'],
  ['-a.com', 'not a valid part'],
  ['a-.com', 'not a valid part'],
  ['a..com', 'not a valid part'],
  ['a_b.com', 'not a valid part'],
  ['*.example.com', 'not a valid part'],
  ['192.168.0.1', 'IP address'],
  ['bücher.de', 'punycode'],
  [`${'a'.repeat(64)}.com`, 'not a valid part'],
  [`${'a.'.repeat(127)}com`, 'longer than 253'],
])('refuses %j (%s)', (input, message) => {
  const result = checkDomainName(input);
  expect('problem' in result && result.problem).toContain(message);
});
