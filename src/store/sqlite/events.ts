/** SQLite events: the hot append path, normalized fields, search and retention. */
import type { EventFilter, EventInput, NormalizedFields, Page, StoredEvent } from '../contract.js';
import { clampLimit, encodeCursor, pageOf } from '../cursor.js';
import { Params, eventConditions, finiteInt, whereSql, type TextMatch } from '../query.js';
import { EVENT_COLUMNS, eventValues, normalizedValues, toStoredEvent, type EventRow } from '../rows.js';
import { codePoints, ftsPhrase } from '../text.js';
import type { Sql } from './db.js';

/**
 * Lower-case hex keys (what serve's content keys are) are kept as BLOBs: half the bytes in the unique
 * index, so fewer pages to dirty per append. Other strings stay TEXT; a BLOB never equals a TEXT, and
 * only lower-case even-length hex is packed, so the mapping is one-to-one.
 */
const packKey = (k: string): string | Buffer => (/^(?:[0-9a-f]{2})+$/.test(k) ? Buffer.from(k, 'hex') : k);

type SqliteEventRow = Omit<EventRow, 'key'> & { key: string | Buffer };
const toEvent = (r: SqliteEventRow): StoredEvent => toStoredEvent({ ...r, key: typeof r.key === 'string' ? r.key : r.key.toString('hex') });

const INSERT = `INSERT INTO events (seq, key, received_ms, stream, sender, host, host_lc, time_ms, record, kind, user_name, command_line)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING seq`;
const HIGH_WATER = "SELECT max(coalesce((SELECT CAST(value AS INTEGER) FROM locks WHERE name = 'events'), 0), coalesce((SELECT max(seq) FROM events), 0))";
const SET_HIGH_WATER = "UPDATE locks SET value = CAST(? AS TEXT) WHERE name = 'events'";

/** One prepared statement per row inside one BEGIN IMMEDIATE transaction: one fsync per delivery. */
export function appendEvents(q: Sql, events: EventInput[]): { seqs: number[]; inserted: number; duplicates: number } {
  const rows = events.map(eventValues);
  const insert = q.prep(INSERT).pluck();
  const find = q.prep('SELECT seq FROM events WHERE key = ?').pluck();
  return q.tx(() => {
    let next = (q.prep(HIGH_WATER).pluck().get() as number) + 1;
    const seqs: number[] = [];
    let inserted = 0;
    for (const r of rows) {
      const key = packKey(r[0]);
      const seq = insert.get(next, key, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]) as number | undefined;
      if (seq !== undefined) { inserted++; next++; }
      seqs.push(seq ?? (find.get(key) as number));
    }
    if (inserted) q.prep(SET_HIGH_WATER).run(next - 1);
    return { seqs, inserted, duplicates: rows.length - inserted };
  });
}

export function readEvents(q: Sql, afterSeq: number, limit: number): StoredEvent[] {
  const n = clampLimit(limit, 10_000);
  const after = finiteInt(afterSeq, 'afterSeq');
  const rows = q.prep(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`).all(after, n) as SqliteEventRow[];
  return rows.map(toEvent);
}

export function getEvent(q: Sql, seq: number): StoredEvent | null {
  if (!Number.isSafeInteger(seq)) return null;
  const r = q.prep(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq = ?`).get(seq) as SqliteEventRow | undefined;
  return r ? toEvent(r) : null;
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

/** Indexed rows through the trigram index, the rows appended since the last indexEvents() by a scan. */
const eventText: TextMatch = (p: Params, needle: string) => {
  if (codePoints(needle) < 3) return ftsMatch('events', 'seq')(p, needle);
  const wm = "(SELECT CAST(value AS INTEGER) FROM locks WHERE name = 'events_fts')";
  return `(seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ${p.add(ftsPhrase(needle))}) OR (seq > ${wm} AND instr(lower(command_line), lower(${p.add(needle)})) > 0))`;
};

const INDEX_BATCH = 50_000;

/** Adds the command lines of events appended since the last call to the trigram index, in one transaction; returns how many rows it covered. */
export function indexEvents(q: Sql): number {
  return q.tx(() => {
    const wm = q.prep("SELECT CAST(value AS INTEGER) FROM locks WHERE name = 'events_fts'").pluck().get() as number;
    const hi = Math.min(lastSeq(q), wm + INDEX_BATCH);
    if (hi <= wm) return 0;
    q.prep('INSERT INTO events_fts(rowid, command_line) SELECT seq, command_line FROM events WHERE seq > ? AND seq <= ? AND command_line IS NOT NULL').run(wm, hi);
    q.prep("UPDATE locks SET value = CAST(? AS TEXT) WHERE name = 'events_fts'").run(hi);
    return hi - wm;
  });
}

export function searchEvents(q: Sql, filter: EventFilter, limit: number, cursor?: string): Page<StoredEvent> {
  const n = clampLimit(limit);
  const p = new Params('sqlite');
  const where = whereSql(eventConditions(filter, p, eventText, cursor));
  const rows = q.prep(`SELECT ${EVENT_COLUMNS} FROM events ${where} ORDER BY seq DESC LIMIT ${p.add(n + 1)}`).all(...p.values) as SqliteEventRow[];
  return pageOf(rows.map(toEvent), n, (last) => encodeCursor('e', [last.seq]));
}

export function purgeEvents(q: Sql, beforeMs: number): number {
  const before = finiteInt(beforeMs, 'beforeMs');
  return q.tx(() => q.prep('DELETE FROM events WHERE received_ms < ?').run(before).changes);
}

export function lastSeq(q: Sql): number {
  return (q.prep('SELECT coalesce(max(seq), 0) FROM events').pluck().get() as number) ?? 0;
}
