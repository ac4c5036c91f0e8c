/**
 * Value decoding for audit fields: hex-encoded untrusted strings (argv, proctitle, paths, keys),
 * architecture and syscall names, and SOCKADDR `saddr` blobs. Every decode is size-bounded.
 */

/** Fields auditd hex-encodes when their value holds a space, a quote or a control character. */
const ENCODED = new Set(['proctitle', 'name', 'cwd', 'comm', 'exe', 'key', 'acct', 'cmd', 'data', 'path', 'ocomm', 'dir', 'watch', 'root_dir', 'grp', 'new_group', 'old-chardev', 'new-chardev', 'file', 'vm']);

/** Decoded bytes limit for one value (argv strings are capped here, and flagged by the caller). */
export const MAX_VALUE = 64 * 1024;

export const isEncodedField = (key: string): boolean => ENCODED.has(key) || /^a\d{1,5}(\[\d{1,5}\])?$/.test(key);

/** Hex text → bytes, at most `max` bytes; undefined when not even-length hex. */
export function hexBytes(hex: string, max = MAX_VALUE): Buffer | undefined {
  if (!hex || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  return Buffer.from(hex.slice(0, max * 2), 'hex');
}

/**
 * The string an audit field means: quoted → as written; `(null)` → null; unquoted hex in an encoded
 * field → decoded UTF-8 (invalid bytes replaced); anything else as written.
 */
export function fieldValue(key: string, raw: string, quoted: boolean): string | null {
  if (quoted) return raw;
  if (raw === '(null)') return null;
  if (!isEncodedField(key)) return raw;
  const b = hexBytes(raw);
  return b ? b.toString('utf8') : raw;
}

/** NUL-separated argv (proctitle) → its words; trailing empty words dropped. */
export function splitNul(s: string): string[] {
  const parts = s.split('\0');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const ARCH: Record<string, string> = {
  c000003e: 'x86_64', '40000003': 'i386', c00000b7: 'aarch64', '40000028': 'arm', '80000015': 'ppc64',
  c0000015: 'ppc64le', '80000016': 's390x', '16': 's390', c00000f3: 'riscv64', '400000f3': 'riscv32', '80000008': 'mips', '40000008': 'mipsel',
};
/** `c000003e` → `x86_64`; unknown arches stay as written. */
export function archName(hex: string): string {
  return ARCH[hex.toLowerCase().replace(/^0x/, '')] ?? hex;
}
/** Byte order of an AUDIT_ARCH value (bit 0x40000000 = little-endian); undefined when unreadable. */
export function littleEndian(hex: string | undefined): boolean | undefined {
  if (!hex) return undefined;
  const n = parseInt(hex.replace(/^0x/i, ''), 16);
  return Number.isFinite(n) ? (n & 0x40000000) !== 0 : undefined;
}

/** The syscalls shellwatch needs by name, per arch (the rest keep their number). */
const SYSCALLS: Record<string, Record<number, string>> = {
  x86_64: { 59: 'execve', 322: 'execveat', 42: 'connect', 43: 'accept', 288: 'accept4', 49: 'bind', 56: 'clone', 57: 'fork', 58: 'vfork', 435: 'clone3', 41: 'socket', 44: 'sendto', 2: 'open', 257: 'openat', 62: 'kill', 101: 'ptrace', 305: 'clock_adjtime', 159: 'adjtimex' },
  i386: { 11: 'execve', 358: 'execveat', 362: 'connect', 364: 'accept4', 361: 'bind', 120: 'clone', 2: 'fork', 190: 'vfork', 359: 'socket' },
  aarch64: { 221: 'execve', 281: 'execveat', 203: 'connect', 202: 'accept', 242: 'accept4', 200: 'bind', 220: 'clone', 435: 'clone3', 198: 'socket', 64: 'write' },
  arm: { 11: 'execve', 387: 'execveat', 283: 'connect', 285: 'accept', 366: 'accept4', 282: 'bind', 120: 'clone', 2: 'fork', 190: 'vfork', 281: 'socket' },
  ppc64: { 11: 'execve', 362: 'execveat', 328: 'connect', 330: 'accept', 344: 'accept4', 327: 'bind', 120: 'clone', 2: 'fork', 326: 'socket' },
  s390x: { 11: 'execve', 354: 'execveat', 362: 'connect', 364: 'accept4', 361: 'bind', 120: 'clone', 2: 'fork', 359: 'socket' },
  riscv64: { 221: 'execve', 281: 'execveat', 203: 'connect', 202: 'accept', 242: 'accept4', 200: 'bind', 220: 'clone', 198: 'socket' },
};
SYSCALLS.ppc64le = SYSCALLS.ppc64;
/** i386 socketcall(2) multiplexes the socket calls on its first argument. */
const SOCKETCALL: Record<string, string> = { '1': 'socket', '2': 'bind', '3': 'connect', '4': 'listen', '5': 'accept', '12': 'recvmsg', '18': 'accept4' };

/** Syscall name from arch + number (+ a0 for socketcall); the number as text when unknown. */
export function syscallName(arch: string, nr: string, a0?: string): string {
  const n = Number(nr);
  if ((arch === 'i386' || arch === 's390x' || arch === 'ppc64' || arch === 'ppc64le') && n === 102 && a0 !== undefined) return SOCKETCALL[String(parseInt(a0, 16))] ?? 'socketcall';
  return SYSCALLS[arch]?.[n] ?? nr;
}

/** A decoded socket address. */
export interface SockAddr { family: string; addr?: string; port?: number; path?: string }

/** Decodes a SOCKADDR `saddr` hex blob; byte order of the family follows the arch (ports are big-endian). */
export function decodeSockaddr(hex: string, le: boolean | undefined): SockAddr | undefined {
  const b = hexBytes(hex, 512);
  if (!b || b.length < 2) return undefined;
  const little = le ?? (b[0] !== 0 && b[1] === 0);
  const fam = little ? b.readUInt16LE(0) : b.readUInt16BE(0);
  if (fam === 2 && b.length >= 8) return { family: 'inet', addr: `${b[4]}.${b[5]}.${b[6]}.${b[7]}`, port: b.readUInt16BE(2) };
  if (fam === 10 && b.length >= 24) return { family: 'inet6', addr: ipv6(b.subarray(8, 24)), port: b.readUInt16BE(2) };
  if (fam === 1) {
    const rest = b.subarray(2);
    if (rest.length && rest[0] === 0) {
      const end = rest.indexOf(0, 1);
      return { family: 'local', path: '@' + rest.toString('utf8', 1, end < 0 ? rest.length : end) };
    }
    const end = rest.indexOf(0);
    return { family: 'local', path: rest.toString('utf8', 0, end < 0 ? rest.length : end) };
  }
  if (fam === 16) return { family: 'netlink' };
  return { family: String(fam) };
}

/** RFC 5952 text form of a 16-byte IPv6 address (IPv4-mapped shown as ::ffff:a.b.c.d). */
export function ipv6(b: Buffer): string {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push(b.readUInt16BE(i));
  if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = w.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
