/**
 * Byte-level helpers shared by the decoders: strict base64 and hex parsing, bounded zlib
 * (gzip, zlib and raw deflate, with an output cap so a decompression bomb costs nothing), and
 * the judgement of whether bytes are text (UTF-16LE or UTF-8) or binary.
 */

/** Bytes of a base64 / base64url string, or null when it is not plausibly base64. */
export function fromBase64(s: string, max: number): Buffer | null {
  const t = s.replace(/\s+/g, '');
  if (t.length < 4 || t.length > max * 2 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(t) || t.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Bytes of a hex string (spaces, \x and 0x prefixes allowed), or null. */
export function fromHex(s: string, max: number): Buffer | null {
  const t = s.replace(/\\x|0x|[\s:,]/gi, '');
  if (t.length < 2 || t.length % 2 || t.length > max * 2 || !/^[0-9a-f]+$/i.test(t)) return null;
  return Buffer.from(t, 'hex');
}

/** Bounded gzip/zlib/deflate (shared with the detectors: core/bytes.ts). */
export { inflate } from '../core/index.js';

function printable(s: string): boolean {
  if (!s.length) return false;
  let ok = 0;
  const n = Math.min(s.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13 || (c >= 0xa0 && c < 0xfffd)) ok++;
  }
  return ok / n >= 0.9;
}

/** Text of bytes (UTF-16LE when every other byte is zero, else UTF-8), or null for binary. */
export function bytesText(b: Buffer): { text: string; encoding: 'utf16le' | 'utf8' } | null {
  let zeros = 0;
  for (let i = 1; i < Math.min(b.length, 2048); i += 2) if (b[i] === 0) zeros++;
  if (b.length >= 2 && zeros / Math.floor(Math.min(b.length, 2048) / 2) > 0.7) {
    const t = b.toString('utf16le').replace(/^\ufeff/, '');
    if (printable(t)) return { text: t, encoding: 'utf16le' };
  }
  const u = b.toString('utf8').replace(/^\ufeff/, '');
  return printable(u) ? { text: u, encoding: 'utf8' } : null;
}
