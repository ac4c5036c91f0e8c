/**
 * Opaque page cursors and limits. A cursor is base64url of `TAG:JSON`: the tag stops a cursor of one
 * listing from being replayed against another, and decoding is strict (re-encoding must give back
 * the same string) because cursors come back from clients and may be anything an attacker types.
 */
import { invalidArgument } from './errors.js';
import { keyText } from './text.js';

export type CursorTag = 'e' | 'a' | 'h' | 'u';
const MAX_CURSOR = 2048;

export function encodeCursor(tag: CursorTag, values: (string | number)[]): string {
  return Buffer.from(`${tag}:${JSON.stringify(values)}`, 'utf8').toString('base64url');
}

/** The cursor's values, or a SW6014 error for anything this store did not produce. */
export function decodeCursor(tag: CursorTag, cursor: unknown): unknown[] {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor || !text.startsWith(`${tag}:`)) throw badCursor();
  let values: unknown;
  try {
    values = JSON.parse(text.slice(2));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(values)) throw badCursor();
  return values;
}

const badCursor = () => invalidArgument('invalid cursor');

/** A cursor holding one sequence number / id (events, audit). */
export function decodeIdCursor(tag: CursorTag, cursor: unknown): number {
  const [id, ...rest] = decodeCursor(tag, cursor);
  if (rest.length || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) throw badCursor();
  return id;
}

/** The alert listing's cursor: the last item's (time, id). */
export function decodeAlertCursor(cursor: unknown): { timeMs: number; id: string } {
  const [timeMs, id, ...rest] = decodeCursor('a', cursor);
  if (rest.length || typeof timeMs !== 'number' || !Number.isSafeInteger(timeMs) || typeof id !== 'string') throw badCursor();
  // a hand-made cursor is well-formed but may hold anything: shaped like the column it is compared with
  return { timeMs, id: keyText(id) };
}

/** The host listing's cursor: the last name. */
export function decodeNameCursor(cursor: unknown): string {
  const [name, ...rest] = decodeCursor('h', cursor);
  if (rest.length || typeof name !== 'string') throw badCursor();
  return keyText(name);
}

/** Listings return 1..max items; NaN or a non-number is a caller error, Infinity means "as many as allowed". */
export function clampLimit(limit: unknown, max = 1000): number {
  if (typeof limit !== 'number' || Number.isNaN(limit)) throw invalidArgument('limit must be a number');
  return Math.min(max, Math.max(1, Math.trunc(limit)));
}

/** A page from `limit + 1` fetched rows: the extra row only says whether there is a next page. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { items: T[]; next: string | null } {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? cursorOf(items[items.length - 1]) : null };
}
