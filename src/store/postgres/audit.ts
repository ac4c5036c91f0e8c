/**
 * PostgreSQL audit log. The chain head is the `audit` row of `locks`, taken FOR UPDATE inside the
 * appending transaction: concurrent appenders queue on it, each chains to the hash the previous one
 * committed, and ids (taken under the lock) follow chain order.
 */
import type pg from 'pg';
import type { AuditEntry, Page, StoredAuditEntry } from '../contract.js';
import { ChainVerifier, ZERO_HASH, sealEntry, toAuditEntry, type AuditRow } from '../chain.js';
import { clampLimit, decodeIdCursor, encodeCursor, pageOf } from '../cursor.js';
import { lockRow, withTx } from './pool.js';

const COLUMNS = 'id, time_ms, actor, action, target, details, prev_hash, hash';
const INSERT = 'INSERT INTO audit (time_ms, actor, action, target, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)';

/** Appends entries in order inside the caller's transaction. */
export async function appendAuditIn(c: pg.PoolClient, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  let prev = (await lockRow(c, 'audit')) ?? ZERO_HASH;
  for (const entry of entries) {
    const e = sealEntry(prev, entry);
    await c.query({ name: 'sw_audit_insert', text: INSERT, values: [e.timeMs, e.actor, e.action, e.target, e.detailsJson, e.prevHash, e.hash] });
    prev = e.hash;
  }
  await c.query("UPDATE locks SET value = $1 WHERE name = 'audit'", [prev]);
}

export async function appendAudit(pool: pg.Pool, entry: AuditEntry): Promise<void> {
  sealEntry(ZERO_HASH, entry); // validate before taking the lock
  await withTx(pool, (c) => appendAuditIn(c, [entry]));
}

export async function listAudit(pool: pg.Pool, limit: number, cursor?: string): Promise<Page<StoredAuditEntry>> {
  const n = clampLimit(limit);
  const r = cursor === undefined
    ? await pool.query<AuditRow>(`SELECT ${COLUMNS} FROM audit ORDER BY id DESC LIMIT $1`, [n + 1])
    : await pool.query<AuditRow>(`SELECT ${COLUMNS} FROM audit WHERE id < $1 ORDER BY id DESC LIMIT $2`, [decodeIdCursor('u', cursor), n + 1]);
  return pageOf(r.rows.map(toAuditEntry), n, (last) => encodeCursor('u', [last.id]));
}

/** Walks the log in id order, a page at a time (bounded memory). */
export async function verifyAudit(pool: pg.Pool): Promise<number | null> {
  const v = new ChainVerifier();
  let after = 0;
  for (;;) {
    const r = await pool.query<AuditRow>({ name: 'sw_audit_verify', text: `SELECT ${COLUMNS} FROM audit WHERE id > $1 ORDER BY id LIMIT 1000`, values: [after] });
    for (const row of r.rows) if (!v.check(row)) return Number(row.id);
    if (r.rows.length < 1000) return null;
    after = Number(r.rows[r.rows.length - 1].id);
  }
}
