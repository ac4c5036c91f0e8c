/**
 * How strings and numbers become column values, the same way in both stores so the contract suite
 * sees identical results. Every value here may come from an attacker.
 */

/**
 * Indexed text is capped: a PostgreSQL b-tree entry must stay under ~2.7 KB, and a composite index
 * holds up to three of these columns (3 × 256 UTF-16 units × 3 UTF-8 bytes ≈ 2.3 KB). Without the cap
 * a forged 10 KB computer name would make a whole delivery fail to commit.
 */
export const KEY_MAX = 256;

/** Largest |ms| a JavaScript Date accepts; times beyond it are not times. */
export const TIME_LIMIT_MS = 8.64e15;

/**
 * PostgreSQL text cannot hold U+0000, so both stores remove it from every string column and every
 * lookup value (JSON payloads keep it: JSON writes it as the six characters `\u0000`).
 */
export function stripNul(s: string): string {
  return s.includes('\u0000') ? s.replace(/\u0000/g, '') : s;
}

/** A nullable free-text column: NUL removed, anything that is not a string becomes null. */
export function textOrNull(v: unknown): string | null {
  return typeof v === 'string' ? stripNul(v) : null;
}

/** An indexed (or key) column: NUL removed and capped at KEY_MAX without splitting a surrogate pair. */
export function keyText(v: string): string {
  const s = stripNul(v);
  if (s.length <= KEY_MAX) return s;
  const cut = /[\uD800-\uDBFF]/.test(s[KEY_MAX - 1]) ? KEY_MAX - 1 : KEY_MAX;
  return s.slice(0, cut);
}

/** Nullable keyText for optional indexed columns. */
export function keyOrNull(v: unknown): string | null {
  return typeof v === 'string' ? keyText(v) : null;
}

/** Case-insensitive match columns (host, user) hold the lowercased key; filters are lowered the same way. */
export function lowerKey(v: string): string {
  return keyText(v.toLowerCase());
}

/** A time in ms, or null when it is not a finite number within the Date range (forged timestamps). */
export function safeTime(v: unknown): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > TIME_LIMIT_MS) return null;
  return Math.trunc(v);
}

/** A safe integer (pid, seq) or null. */
export function safeInt(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

/** Escapes LIKE wildcards so user text matches literally (escape character: backslash). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

/** An FTS5 phrase that matches `s` literally: quoted, with embedded quotes doubled. */
export function ftsPhrase(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Length in code points: FTS5's trigram tokenizer needs three characters, not three UTF-16 units. */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Numbers from a driver: PostgreSQL bigint arrives as a string. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}
