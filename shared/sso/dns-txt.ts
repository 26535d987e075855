// Domain verification: does the TXT record we asked for exist? Uses node's resolver; DNS_SERVERS (comma-separated
// `ip[:port]`) points it at other servers — the tests run a DNS server on 127.0.0.1.
import { Resolver } from 'node:dns/promises';

/** Per-try timeout; two tries. DNS_TIMEOUT_MS shortens it in tests. */
const timeoutMs = (): number => Number(process.env.DNS_TIMEOUT_MS ?? 3000);

export type TxtLookup = { found: true } | { found: false; reason: 'no_record' | 'wrong_value' | 'dns_unavailable' };

const NOT_FOUND_CODES = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

/** Looks up `name` and says whether one of its TXT strings equals `expected` (a record's chunks are joined first). */
export async function lookupTxtChallenge(name: string, expected: string): Promise<TxtLookup> {
  const resolver = new Resolver({ timeout: timeoutMs(), tries: 2 });
  const servers = (process.env.DNS_SERVERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (servers.length > 0) resolver.setServers(servers);
  let records: string[][];
  try {
    records = await resolver.resolveTxt(name);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    return { found: false, reason: NOT_FOUND_CODES.has(code) ? 'no_record' : 'dns_unavailable' };
  }
  if (records.length === 0) return { found: false, reason: 'no_record' };
  return records.some((chunks) => chunks.join('') === expected) ? { found: true } : { found: false, reason: 'wrong_value' };
}
