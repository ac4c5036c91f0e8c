/** IPv4/IPv6 parsing and CIDR containment for the `cidr` modifier (bigint addresses, no dependencies). */

/** Parses an IPv4 or IPv6 address to [family, value]; null when invalid. */
export function parseIp(s: string): [4 | 6, bigint] | null {
  s = s.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const o = s.split('.').map(Number);
    if (o.some((n) => n > 255)) return null;
    return [4, BigInt(((o[0] << 24) >>> 0) + (o[1] << 16) + (o[2] << 8) + o[3])];
  }
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return null;
  const v4 = /(\d{1,3}(\.\d{1,3}){3})$/.exec(s);
  if (v4) {
    const p = parseIp(v4[1]);
    if (!p) return null;
    s = s.slice(0, -v4[1].length) + `${(p[1] >> 16n).toString(16)}:${(p[1] & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): bigint[] | null => {
    if (h === '') return [];
    const gs = h.split(':');
    return gs.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? gs.map((g) => BigInt(parseInt(g, 16))) : null;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return null;
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return null;
  const groups = [...head, ...Array<bigint>(halves.length === 2 ? fill : 0).fill(0n), ...rest];
  return [6, groups.reduce((a, g) => (a << 16n) | g, 0n)];
}

export interface Cidr { family: 4 | 6; net: bigint; mask: bigint }

/** Parses `addr/len` (a bare address is a host network); null when invalid. */
export function parseCidr(s: string): Cidr | null {
  const [a, l] = s.split('/');
  const ip = parseIp(a);
  if (!ip) return null;
  const bits = ip[0] === 4 ? 32 : 128;
  const len = l === undefined ? bits : Number(l);
  if (!Number.isInteger(len) || len < 0 || len > bits) return null;
  const mask = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(bits - len);
  return { family: ip[0], net: ip[1] & mask, mask };
}

/** True when `addr` lies inside the network. */
export function cidrContains(c: Cidr, addr: string): boolean {
  const ip = parseIp(addr);
  if (!ip) return false;
  if (ip[0] !== c.family) {
    // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) belongs to the IPv4 network
    if (c.family === 4 && ip[0] === 6 && ip[1] >> 32n === 0xffffn) return ((ip[1] & 0xffffffffn) & c.mask) === c.net;
    return false;
  }
  return (ip[1] & c.mask) === c.net;
}
