/**
 * Base64 and text recovery for decoded layers: UTF-16LE (PowerShell -EncodedCommand), UTF-8,
 * and gzip / raw-deflate payloads (IO.Compression.DeflateStream). Output is size-bounded.
 */
import { inflate } from '../../../core/index.js';

/** Largest decoded text we keep per layer. */
export const MAX_DECODED = 64 * 1024;
const B64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Decodes a base64 (or base64url) string; null when it is not plausibly base64. */
export function decodeBase64(s: string, minLen = 8): Buffer | null {
  const t = s.replace(/\s+/g, '');
  if (t.length < minLen || t.length > MAX_DECODED * 2 || !B64.test(t)) return null;
  if (t.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** True when most characters are printable text (tabs and newlines allowed). */
export function isPrintable(s: string, ratio = 0.9): boolean {
  if (!s.length) return false;
  let ok = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13 || (c >= 0xa0 && c < 0xfffd)) ok++;
  }
  return ok / s.length >= ratio;
}

/** UTF-16LE when every other byte is mostly zero (ASCII text in UTF-16LE). */
export function looksUtf16le(b: Buffer): boolean {
  if (b.length < 2) return false;
  let zeros = 0;
  for (let i = 1; i < b.length; i += 2) if (b[i] === 0) zeros++;
  return zeros / Math.floor(b.length / 2) > 0.7;
}

/** Decompresses gzip, zlib or raw deflate; null when the bytes are none of them. */
export function inflateAny(b: Buffer): Buffer | null {
  return inflate(b, MAX_DECODED * 4);
}

/** Text of decoded bytes with the technique that produced it, or null when it is binary. */
export function bytesToText(b: Buffer): { text: string; encoding: string } | null {
  if (looksUtf16le(b)) {
    const t = b.toString('utf16le');
    if (isPrintable(t, 0.85)) return { text: t.slice(0, MAX_DECODED), encoding: 'utf-16le' };
  }
  const u = b.toString('utf8');
  if (isPrintable(u)) return { text: u.slice(0, MAX_DECODED), encoding: 'utf-8' };
  const z = inflateAny(b);
  if (z) {
    const inner = bytesToText(z);
    if (inner) return { text: inner.text, encoding: `deflate+${inner.encoding}` };
  }
  return null;
}

/** Decodes a base64 literal to text in one step (null when not base64 or not text). */
export function base64Text(s: string, minLen = 8): { text: string; encoding: string } | null {
  const b = decodeBase64(s, minLen);
  return b ? bytesToText(b) : null;
}
