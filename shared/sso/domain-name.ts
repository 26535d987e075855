// Domain names an account may claim: plain DNS host names (IDNs in their xn-- form), at least two labels, no wildcards,
// no IP addresses. Checked before any I/O, so a typo is a 400 with a reason rather than a TXT record nobody can publish.
import { normaliseDomain } from '../db/keys.ts';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** The normalised name, or a message saying what is wrong with it. */
export function checkDomainName(input: string): { domain: string } | { problem: string } {
  const domain = normaliseDomain(input);
  if (domain.length === 0) return { problem: 'domain must not be empty' };
  if (domain.length > 253) return { problem: 'domain is longer than 253 characters' };
  if (/[^\x21-\x7e]/.test(domain)) return { problem: 'use the xn-- (punycode) form of an internationalised domain name' };
  const labels = domain.split('.');
  if (labels.length < 2) return { problem: `${domain} is not a domain name (it needs at least one dot, e.g. example.com)` };
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) {
    return {
      problem: `"${bad}" is not a valid part of a domain name (letters, digits and inner hyphens, 1 to 63 characters)`,
    };
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] as string)) return { problem: `${domain} looks like an IP address, not a domain name` };
  return { domain };
}
