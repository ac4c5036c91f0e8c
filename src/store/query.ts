/**
 * WHERE clauses for the filtered listings, built once for both stores. Values are always bound
 * (`Params` hands out `?` for SQLite, `$n` for PostgreSQL); only column names and operators, all
 * constants of this file, are ever written into the SQL text.
 */
import { LEVELS, levelRank } from '../core/index.js';
import { ALERT_STATUSES, type AlertFilter, type EventFilter } from './contract.js';
import { decodeAlertCursor, decodeIdCursor } from './cursor.js';
import { invalidArgument } from './errors.js';
import { keyText, lowerKey, stripNul } from './text.js';

export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly style: 'sqlite' | 'postgres') {}

  /** Binds `v` and returns its placeholder. */
  add(v: unknown): string {
    this.values.push(v);
    return this.style === 'sqlite' ? '?' : `$${this.values.length}`;
  }
}

/** The store's substring condition on a table's command_line (FTS5 trigram or pg_trgm ILIKE). */
export type TextMatch = (p: Params, needle: string) => string;

/** A number argument as a safe integer (PostgreSQL bigint takes no fractions); ±Infinity clamp. */
export function finiteInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw invalidArgument(`${name} must be a number`);
  // clamped to the safe integers: a bound 1e300 would be valid SQLite but not a PostgreSQL bigint
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Math.trunc(v)));
}

function str(v: unknown, name: string): string {
  if (typeof v !== 'string') throw invalidArgument(`${name} must be a string`);
  return v;
}

/** A text filter that is empty once NUL is removed filters nothing. */
function needleOf(v: unknown): string | null {
  const s = stripNul(str(v, 'text'));
  return s.length ? s : null;
}

export function eventConditions(filter: EventFilter, p: Params, text: TextMatch, cursor?: string): string[] {
  const f = filter ?? {};
  const w: string[] = [];
  if (f.fromMs !== undefined) w.push(`time_ms >= ${p.add(finiteInt(f.fromMs, 'fromMs'))}`);
  if (f.toMs !== undefined) w.push(`time_ms < ${p.add(finiteInt(f.toMs, 'toMs'))}`);
  if (f.host !== undefined) w.push(`host_lc = ${p.add(lowerKey(str(f.host, 'host')))}`);
  if (f.kind !== undefined) w.push(`kind = ${p.add(keyText(str(f.kind, 'kind')))}`);
  if (f.afterSeq !== undefined) w.push(`seq > ${p.add(finiteInt(f.afterSeq, 'afterSeq'))}`);
  const needle = f.text === undefined ? null : needleOf(f.text);
  if (needle !== null) w.push(text(p, needle));
  if (cursor !== undefined) w.push(`seq < ${p.add(decodeIdCursor('e', cursor))}`);
  return w;
}

export function alertConditions(filter: AlertFilter, p: Params, text: TextMatch): string[] {
  const f = filter ?? {};
  const w: string[] = [];
  if (f.fromMs !== undefined) w.push(`time_ms >= ${p.add(finiteInt(f.fromMs, 'fromMs'))}`);
  if (f.toMs !== undefined) w.push(`time_ms < ${p.add(finiteInt(f.toMs, 'toMs'))}`);
  if (f.host !== undefined) w.push(`host = ${p.add(lowerKey(str(f.host, 'host')))}`);
  if (f.user !== undefined) w.push(`user_name = ${p.add(lowerKey(str(f.user, 'user')))}`);
  if (f.rule !== undefined) w.push(`rule_id = ${p.add(keyText(str(f.rule, 'rule')))}`);
  if (f.assignee !== undefined) w.push(`assignee = ${p.add(keyText(str(f.assignee, 'assignee')))}`);
  if (f.minLevel !== undefined) {
    if (!LEVELS.includes(f.minLevel)) throw invalidArgument('unknown level');
    w.push(`level_rank >= ${p.add(levelRank(f.minLevel))}`);
  }
  if (f.status !== undefined && f.status.length > 0) w.push(statusIn(f.status, p));
  const needle = f.text === undefined ? null : needleOf(f.text);
  if (needle !== null) w.push(text(p, needle));
  return w;
}

function statusIn(status: unknown, p: Params): string {
  if (!Array.isArray(status)) throw invalidArgument('status must be a list');
  for (const s of status) if (!ALERT_STATUSES.includes(s)) throw invalidArgument('unknown alert status');
  return `status IN (${[...new Set(status)].map((s) => p.add(s)).join(', ')})`;
}

/** Keyset condition for "newest time first, ties by id": strictly after the cursor's row. */
export function alertAfter(cursor: string, p: Params): string {
  const c = decodeAlertCursor(cursor);
  return `(time_ms < ${p.add(c.timeMs)} OR (time_ms = ${p.add(c.timeMs)} AND id > ${p.add(c.id)}))`;
}

export const whereSql = (w: string[]): string => (w.length ? `WHERE ${w.join(' AND ')}` : '');
