/**
 * PostgreSQL events. Appends are one multi-row INSERT from unnest() per delivery, under the `events`
 * lock row: seqs then become visible in commit order, so a reader following seq never skips a row
 * that committed late with a lower seq (what plain concurrent identity columns would allow).
 */
import type pg from 'pg';
import type { EventFilter, EventInput, NormalizedFields, Page, StoredEvent } from '../contract.js';
import { clampLimit, encodeCursor, pageOf } from '../cursor.js';
import { Params, eventConditions, finiteInt, whereSql, type TextMatch } from '../query.js';
import { EVENT_COLUMNS, eventValues, normalizedValues, toStoredEvent, type EventRow } from '../rows.js';
import { escapeLike } from '../text.js';
import { columnsOf, lockRow, withTx } from './pool.js';

const APPEND = `INSERT INTO events (key, received_ms, stream, sender, host, host_lc, time_ms, record, kind, user_name, command_line)
  SELECT key, received_ms, stream, sender, host, host_lc, time_ms, record, kind, user_name, command_line
  FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])
    WITH ORDINALITY AS t(key, received_ms, stream, sender, host, host_lc, time_ms, record, kind, user_name, command_line, ord)
  ORDER BY ord
  ON CONFLICT (key) DO NOTHING RETURNING seq, key`;

export async function appendEvents(pool: pg.Pool, events: EventInput[]): Promise<{ seqs: number[]; inserted: number; duplicates: number }> {
  const rows = events.map(eventValues);
  if (rows.length === 0) return { seqs: [], inserted: 0, duplicates: 0 };
  const cols = columnsOf(rows, 11);
  const keys = cols[0] as string[];
  return withTx(pool, async (c) => {
    await lockRow(c, 'events');
    const fresh = await c.query<{ seq: string; key: string }>({ name: 'sw_events_append', text: APPEND, values: cols });
    const seqOf = new Map(fresh.rows.map((r) => [r.key, Number(r.seq)]));
    if (seqOf.size < new Set(keys).size) {
      const old = await c.query<{ seq: string; key: string }>({ name: 'sw_events_find', text: 'SELECT seq, key FROM events WHERE key = ANY($1::text[])', values: [keys.filter((k) => !seqOf.has(k))] });
      for (const r of old.rows) seqOf.set(r.key, Number(r.seq));
    }
    return { seqs: keys.map((k) => seqOf.get(k) as number), inserted: fresh.rowCount ?? 0, duplicates: rows.length - (fresh.rowCount ?? 0) };
  });
}

export async function readEvents(pool: pg.Pool, afterSeq: number, limit: number): Promise<StoredEvent[]> {
  const r = await pool.query<EventRow>({ name: 'sw_events_read', text: `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`, values: [finiteInt(afterSeq, 'afterSeq'), clampLimit(limit, 10_000)] });
  return r.rows.map(toStoredEvent);
}

export async function getEvent(pool: pg.Pool, seq: number): Promise<StoredEvent | null> {
  if (!Number.isSafeInteger(seq)) return null;
  const r = await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq = $1`, [seq]);
  return r.rows[0] ? toStoredEvent(r.rows[0]) : null;
}

const NORMALIZE = `UPDATE events e SET kind = u.kind, host = u.host, host_lc = u.host_lc, time_ms = coalesce(u.time_ms, e.time_ms),
    user_name = u.user_name, command_line = u.command_line, normalized = u.normalized
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[])
    AS u(seq, kind, host, host_lc, time_ms, user_name, command_line, normalized)
  WHERE e.seq = u.seq`;

export async function setNormalized(pool: pg.Pool, fields: NormalizedFields[]): Promise<void> {
  const rows = normalizedValues(fields);
  if (rows.length === 0) return;
  const cols = columnsOf(rows, 8);
  await withTx(pool, async (c) => {
    // rows locked in seq order first: an UPDATE … FROM locks in join order, and two overlapping
    // batches locking in different orders would deadlock
    await c.query({ name: 'sw_events_lock', text: 'SELECT 1 FROM events WHERE seq = ANY($1::bigint[]) ORDER BY seq FOR UPDATE', values: [cols[0]] });
    await c.query({ name: 'sw_events_normalize', text: NORMALIZE, values: cols });
  });
}

/** ILIKE on lower(command_line) so the pg_trgm expression index applies; wildcards in the needle are escaped. */
export const trigramMatch: TextMatch = (p, needle) => `lower(command_line) ILIKE ${p.add(`%${escapeLike(needle)}%`)} ESCAPE '\\'`;

export async function searchEvents(pool: pg.Pool, filter: EventFilter, limit: number, cursor?: string): Promise<Page<StoredEvent>> {
  const n = clampLimit(limit);
  const p = new Params('postgres');
  const where = whereSql(eventConditions(filter, p, trigramMatch, cursor));
  const r = await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events ${where} ORDER BY seq DESC LIMIT ${p.add(n + 1)}`, p.values);
  return pageOf(r.rows.map(toStoredEvent), n, (last) => encodeCursor('e', [last.seq]));
}

export async function purgeEvents(pool: pg.Pool, beforeMs: number): Promise<number> {
  const r = await pool.query('DELETE FROM events WHERE received_ms < $1', [finiteInt(beforeMs, 'beforeMs')]);
  return r.rowCount ?? 0;
}

export async function lastSeq(pool: pg.Pool): Promise<number> {
  const r = await pool.query<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM events');
  return Number(r.rows[0].seq);
}
