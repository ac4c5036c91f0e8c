/**
 * The audit log's hash chain, shared by both stores: an entry is sealed against the previous hash
 * before it is written, and verification walks the entries in id order recomputing every hash.
 */
import type { AuditEntry, StoredAuditEntry } from './contract.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { invalidArgument } from './errors.js';
import { keyOrNull, keyText, safeTime } from './text.js';

/** prevHash of the first entry. */
export const ZERO_HASH = '0'.repeat(64);

/** An entry as it is written: sanitised the way the columns will hold it, with its chain hashes. */
export interface SealedEntry extends AuditEntry { detailsJson: string; prevHash: string; hash: string }

/** Sanitises first (NUL, caps, integral time), so the hash covers exactly what the store keeps. */
export function sealEntry(prevHash: string, e: AuditEntry): SealedEntry {
  const timeMs = safeTime(e.timeMs);
  if (timeMs === null) throw invalidArgument('audit entry timeMs must be a finite time');
  if (typeof e.actor !== 'string' || typeof e.action !== 'string') throw invalidArgument('audit entry actor and action must be strings');
  const detailsJson = canonicalJson(e.details ?? {});
  const clean: AuditEntry = { timeMs, actor: keyText(e.actor), action: keyText(e.action), target: keyOrNull(e.target), details: JSON.parse(detailsJson) };
  return { ...clean, detailsJson, prevHash, hash: entryHash(prevHash, clean) };
}

export function entryHash(prevHash: string, e: AuditEntry): string {
  const body = canonicalJson({ timeMs: e.timeMs, actor: e.actor, action: e.action, target: e.target, details: e.details });
  return sha256Hex(prevHash + body);
}

/** The stored row shape both stores read back (numbers may arrive as strings from PostgreSQL). */
export interface AuditRow { id: unknown; time_ms: unknown; actor: string; action: string; target: string | null; details: string; prev_hash: string; hash: string }

export function toAuditEntry(r: AuditRow): StoredAuditEntry {
  return {
    id: Number(r.id), timeMs: Number(r.time_ms), actor: r.actor, action: r.action, target: r.target,
    details: parseDetails(r.details), prevHash: r.prev_hash, hash: r.hash,
  };
}

/** A tampered details column may not even be JSON: that must show up as a bad hash, not a crash. */
function parseDetails(s: string): Record<string, unknown> {
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    return { unparseable: s };
  }
}

/** Feeds rows in id order; `check` returns false at the first entry that breaks the chain. */
export class ChainVerifier {
  private prev = ZERO_HASH;

  check(r: AuditRow): boolean {
    const e = toAuditEntry(r);
    const ok = e.prevHash === this.prev && e.hash === entryHash(this.prev, e);
    this.prev = e.hash;
    return ok;
  }
}
