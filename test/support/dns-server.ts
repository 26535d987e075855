// A tiny authoritative DNS server on 127.0.0.1 (UDP, port 0) for domain-verification tests: answers TXT queries from an
// in-memory map, NXDOMAIN for unknown names, and stays silent for names marked `silent` (to exercise timeouts).
import { createSocket, type RemoteInfo } from 'node:dgram';

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, the form DNS_SERVERS and Resolver#setServers take. */
  address: string;
  setTxt(name: string, values: string[]): void;
  silence(name: string): void;
  queries: string[];
  stop(): Promise<void>;
}

const TYPE_TXT = 16;

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  for (;;) {
    const length = message[at] ?? 0;
    if (length === 0) return { name: labels.join('.').toLowerCase(), end: at + 1 };
    labels.push(message.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += 1 + length;
  }
}

function txtRdata(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const chunks: Buffer[] = [];
  // Long values are split into 255-byte character-strings, as real zones do; resolvers hand back the chunks.
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    chunks.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(chunks);
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const records = new Map<string, string[]>();
  const silent = new Set<string>();
  const queries: string[] = [];
  const socket = createSocket('udp4');

  socket.on('message', (message: Buffer, peer: RemoteInfo) => {
    if (message.length < 12) return;
    const { name, end } = readName(message, 12);
    const qtype = message.readUInt16BE(end);
    queries.push(name);
    if (silent.has(name)) return;
    const question = message.subarray(12, end + 4);
    const values = qtype === TYPE_TXT ? records.get(name) : undefined;
    const known = records.has(name);
    const header = Buffer.alloc(12);
    message.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8400 | (message.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(values?.length ?? 0, 6);
    const answers = (values ?? []).map((value) => {
      const rdata = txtRdata(value);
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0);
      fixed.writeUInt16BE(TYPE_TXT, 2);
      fixed.writeUInt16BE(1, 4);
      fixed.writeUInt32BE(60, 6);
      fixed.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([fixed, rdata]);
    });
    socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return {
    address: `127.0.0.1:${socket.address().port}`,
    setTxt: (name, values) => records.set(name.toLowerCase(), values),
    silence: (name) => silent.add(name.toLowerCase()),
    queries,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
