/** Byte helpers shared by stages that decode attacker-supplied payloads. */
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** Decompresses gzip, zlib or raw deflate up to `max` bytes; null when the bytes are none of them. */
export function inflate(b: Buffer, max: number): Buffer | null {
  const opts = { maxOutputLength: Math.max(1, max) };
  try {
    if (b[0] === 0x1f && b[1] === 0x8b) return gunzipSync(b, opts);
    if (b[0] === 0x78) return inflateSync(b, opts);
    return inflateRawSync(b, opts);
  } catch {
    return null;
  }
}
