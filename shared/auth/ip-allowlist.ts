// Account IP allowlists: IPv4 and IPv6 CIDRs, matched with Node's own net.BlockList (no hand-written bit arithmetic).
import { BlockList, isIP } from 'node:net';

export const MAX_ALLOWLIST_ENTRIES = 100;

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address (a /32 or /128). Returns an error message when invalid. */
export function parseCidr(input: string): Cidr | string {
  const [address = '', prefixText, ...rest] = input.trim().split('/');
  const version = isIP(address);
  if (rest.length > 0 || version === 0) return `"${input}" is not an IPv4 or IPv6 address or CIDR`;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return `"${input}" has a prefix length outside 0–${max}`;
  }
  return { address, prefix: Number(prefixText), family };
}

/** An IPv4 address written as IPv4-mapped IPv6 (`::ffff:192.0.2.1`) is the IPv4 address. */
export function normaliseIp(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped?.[1] ?? ip;
}

/** True when no allowlist is set, or the address falls in one of its CIDRs. Unparseable addresses never match. */
export function ipAllowed(cidrs: readonly string[] | undefined, sourceIp: string): boolean {
  if (!cidrs || cidrs.length === 0) return true;
  const ip = normaliseIp(sourceIp);
  const version = isIP(ip);
  if (version === 0) return false;
  const list = new BlockList();
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (typeof cidr !== 'string') list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
}

/** Checks an allowlist as entered: the problems (one message per bad entry), else the list to store (trimmed, de-duplicated). */
export function checkAllowlist(cidrs: readonly string[]): { ok: true; cidrs: string[] } | { ok: false; problems: string[] } {
  const problems = cidrs.map(parseCidr).filter((c): c is string => typeof c === 'string');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, cidrs: [...new Set(cidrs.map((c) => c.trim()))] };
}
