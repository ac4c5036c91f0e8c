/**
 * SQLite audit log. One connection and BEGIN IMMEDIATE serialise appends, so reading the chain head
 * and writing the next entry cannot interleave with another writer (even in another process).
 */
import type { AuditEntry, Page, StoredAuditEntry } from '../contract.js';
import { ChainVerifier, ZERO_HASH, sealEntry, toAuditEntry, type AuditRow } from '../chain.js';
import { clampLimit, decodeIdCursor, encodeCursor, pageOf } from '../cursor.js';
import type { Sql } from './db.js';

const COLUMNS = 'id, time_ms, actor, action, target, details, prev_hash, hash';

/** Appends inside the caller's transaction (updateAlerts) or its own. */
export function appendAudit(q: Sql, entry: AuditEntry): void {
  q.tx(() => {
    // The head lives in `locks` so that deleting the newest entries breaks the chain at the next append.
    const head = (q.prep("SELECT value FROM locks WHERE name = 'audit'").pluck().get() as string | undefined) ?? ZERO_HASH;
    const e = sealEntry(head, entry);
    q.prep(`INSERT INTO audit (time_ms, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(e.timeMs, e.actor, e.action, e.target, e.detailsJson, e.prevHash, e.hash);
    q.prep("INSERT INTO locks (name, value) VALUES ('audit', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value").run(e.hash);
  });
}

export function listAudit(q: Sql, limit: number, cursor?: string): Page<StoredAuditEntry> {
  const n = clampLimit(limit);
  const rows = cursor === undefined
    ? q.prep(`SELECT ${COLUMNS} FROM audit ORDER BY id DESC LIMIT ?`).all(n + 1)
    : q.prep(`SELECT ${COLUMNS} FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?`).all(decodeIdCursor('u', cursor), n + 1);
  return pageOf((rows as AuditRow[]).map(toAuditEntry), n, (last) => encodeCursor('u', [last.id]));
}

/** Streams the whole log in id order (iterate(): constant memory however long the log is). */
export function verifyAudit(q: Sql): number | null {
  const v = new ChainVerifier();
  for (const r of q.db.prepare(`SELECT ${COLUMNS} FROM audit ORDER BY id`).iterate() as IterableIterator<AuditRow>) {
    if (!v.check(r)) return Number(r.id);
  }
  return null;
}
