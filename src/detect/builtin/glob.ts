/**
 * Allowlist globs: `*` matches any run of characters except shell chaining and substitution
 * metacharacters, so an allowlisted cron line cannot be extended with `; curl … | sh`.
 * Matching is a dynamic programme over (text, pattern): O(n·m), never exponential.
 */
const META = new Set([';', '&', '|', '`', '$', '\n', '\r', '<', '>']);
/** Longest text we try to allowlist; longer command lines never match. */
export const MAX_GLOB_TEXT = 4096;

/** Collapses whitespace runs so allowlist entries need not reproduce exact spacing. */
export const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Case-insensitive anchored glob match of `text` against `pattern` (both squashed by the caller). */
export function globMatch(pattern: string, text: string): boolean {
  return text.length <= MAX_GLOB_TEXT && anchoredGlob(pattern, text, META);
}

/**
 * Anchored, case-insensitive glob: `*` any run and `?` one character, neither matching a character of
 * `stops`. A dynamic programme over (text, pattern): O(n·m), never exponential.
 */
export function anchoredGlob(pattern: string, text: string, stops: ReadonlySet<string>): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  // prev[j]: pattern[0..i) matches text[0..j)
  let prev = new Uint8Array(t.length + 1);
  prev[0] = 1;
  for (let i = 0; i < p.length; i++) {
    const cur = new Uint8Array(t.length + 1);
    if (p[i] === '*') {
      cur[0] = prev[0];
      for (let j = 1; j <= t.length; j++) cur[j] = prev[j] || (cur[j - 1] && !stops.has(t[j - 1]) ? 1 : 0);
    } else {
      for (let j = 1; j <= t.length; j++) cur[j] = prev[j - 1] && (p[i] === '?' ? !stops.has(t[j - 1]) : p[i] === t[j - 1]) ? 1 : 0;
    }
    prev = cur;
  }
  return prev[t.length] === 1;
}
