/**
 * Canonical JSON and sha256 for the audit hash chain: the same entry must hash the same on every
 * machine and after a round trip through either store, so keys are sorted and nothing is indented.
 */
import { createHash } from 'node:crypto';

/** The plain JSON value of `v` (toJSON applied, undefined dropped, non-finite numbers null), keys sorted. */
export function canonicalJson(v: unknown): string {
  // One JSON round trip first: it applies toJSON, drops undefined/functions and turns NaN into null,
  // exactly as JSON.stringify would when the entry is stored.
  const plain: unknown = JSON.parse(JSON.stringify(v ?? null));
  return write(plain);
}

function write(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k])}`).join(',')}}`;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}
