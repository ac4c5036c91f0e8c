/**
 * Content-derived identities. A record's key depends only on what it says (its format, system header and
 * fields), never on how or when it arrived, so the same record delivered twice, replayed or re-read after a
 * restart is one record; an alert's id is its rule and its event's key, so it is one alert.
 */
import { createHash } from 'node:crypto';
import type { Alert } from './alert.js';

/** JSON with object keys sorted at every level (bigints as strings), so equal content gives equal text. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortDeep(v));
}

function sortDeep(v: unknown, depth = 0): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (!v || typeof v !== 'object' || depth > 64) return v;
  if (Array.isArray(v)) return v.map((x) => sortDeep(x, depth + 1));
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = sortDeep(o[k], depth + 1);
  return out;
}

/** sha256 hex of `s`, cut to `hexChars` (128 bits by default: collisions are not a practical concern). */
export function digest(s: string, hexChars = 32): string {
  return createHash('sha256').update(s).digest('hex').slice(0, hexChars);
}

/** The key of a record: what it says, not where it came from (`ref` is left out). */
export function recordKey(format: string | undefined, system: unknown, data: unknown): string {
  return digest(canonicalJson([format ?? '', system ?? {}, data ?? {}]));
}

/** An alert's stable id: its rule and its event's key (`eventKey`), or for an alert on no event (a correlation) its content. */
export function alertId(a: Alert, eventKey: string | undefined): string {
  const what = eventKey ?? canonicalJson({ time: a.time, host: a.host, evidence: a.evidence, reason: a.reason });
  return digest(`${a.rule.source}:${a.rule.id}|${what}`);
}
