/** SQLite events: the hot append path, normalized fields, search and retention. */
import type { EventFilter, EventInput, NormalizedFields, Page, StoredEvent } from '../contract.js';
import { clampLimit, encodeCursor, pageOf } from '../cursor.js';
import { Params, eventConditions, finiteInt, whereSql, type TextMatch } from '../query.js';
import { EVENT_COLUMNS, eventValues, normalizedValues, toStoredEvent, type EventRow } from '../rows.js';
import { codePoints, ftsPhrase } from '../text.js';
import type { Sql } from './db.js';

const INSERT = `INSERT INTO events (key, received_ms, stream, sender, host, host_lc, time_ms, record)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING seq`;

/** One prepared statement per row inside one transaction: one fsync per delivery. */
export function appendEvents(q: Sql, events: EventInput[]): { seqs: number[]; inserted: number; duplicates: number } {
  const rows = events.map(eventValues);
  const insert = q.prep(INSERT).pluck();
  const find = q.prep('SELECT seq FROM events WHERE key = ?').pluck();
  return q.tx(() => {
    const seqs: number[] = [];
    let inserted = 0;
    for (const r of rows) {
      const seq = insert.get(...r) as number | undefined;
      if (seq !== undefined) inserted++;
      seqs.push(seq ?? (find.get(r[0]) as number));
    }
    return { seqs, inserted, duplicates: rows.length - inserted };
  });
}

export function readEvents(q: Sql, afterSeq: number, limit: number): StoredEvent[] {
  const n = clampLimit(limit, 10_000);
  const after = finiteInt(afterSeq, 'afterSeq');
  const rows = q.prep(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`).all(after, n) as EventRow[];
  return rows.map(toStoredEvent);
}

export function getEvent(q: Sql, seq: number): StoredEvent | null {
  if (!Number.isSafeInteger(seq)) return null;
  const r = q.prep(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq = ?`).get(seq) as EventRow | undefined;
  return r ? toStoredEvent(r) : null;
}

export function setNormalized(q: Sql, fields: NormalizedFields[]): void {
  const rows = normalizedValues(fields);
  const update = q.prep(`UPDATE events SET kind = ?, host = ?, host_lc = ?, time_ms = coalesce(?, time_ms), user_name = ?, command_line = ?, normalized = ?
    WHERE seq = ?`);
  q.tx(() => {
    for (const [seq, ...rest] of rows) update.run(...rest, seq);
  });
}

/**
 * The trigram index needs three characters; shorter needles scan with instr() (ASCII case folding
 * only, as SQLite's lower() does). Neither path has LIKE wildcards to escape.
 */
export const ftsMatch = (table: string, rowid: string): TextMatch => (p: Params, needle: string) =>
  codePoints(needle) >= 3
    ? `${rowid} IN (SELECT rowid FROM ${table}_fts WHERE ${table}_fts MATCH ${p.add(ftsPhrase(needle))})`
    : `instr(lower(command_line), lower(${p.add(needle)})) > 0`;

const eventText = ftsMatch('events', 'seq');

export function searchEvents(q: Sql, filter: EventFilter, limit: number, cursor?: string): Page<StoredEvent> {
  const n = clampLimit(limit);
  const p = new Params('sqlite');
  const where = whereSql(eventConditions(filter, p, eventText, cursor));
  const rows = q.prep(`SELECT ${EVENT_COLUMNS} FROM events ${where} ORDER BY seq DESC LIMIT ${p.add(n + 1)}`).all(...p.values) as EventRow[];
  return pageOf(rows.map(toStoredEvent), n, (last) => encodeCursor('e', [last.seq]));
}

export function purgeEvents(q: Sql, beforeMs: number): number {
  const before = finiteInt(beforeMs, 'beforeMs');
  return q.tx(() => q.prep('DELETE FROM events WHERE received_ms < ?').run(before).changes);
}

export function lastSeq(q: Sql): number {
  return (q.prep('SELECT coalesce(max(seq), 0) FROM events').pluck().get() as number) ?? 0;
}
