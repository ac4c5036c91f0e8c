/**
 * Name patterns for group membership: a case-insensitive anchored glob (`*`, `?`) or, with a `re:`
 * prefix, a regular expression. Patterns come from configuration, names from logs (attacker-controlled),
 * so names are cut to 255 characters and regexes with nested or adjacent quantifiers or backreferences
 * are refused: no pattern can make matching super-linear on a name.
 */

import { anchoredGlob } from '../builtin/glob.js';

/** Longest name tested (DNS names are at most 253 characters, user names far less). */
export const MAX_NAME = 255;
const MAX_PATTERN = 256;

export type NamePattern = (name: string) => boolean;

const NO_STOPS: ReadonlySet<string> = new Set();

/** Anchored glob over a name: `*` any run, `?` one character; O(name × pattern). */
export function nameGlob(pattern: string, name: string): boolean {
  return anchoredGlob(pattern, name.slice(0, MAX_NAME), NO_STOPS);
}

/** Why a regex pattern is refused, or null when it is safe to run. */
export function unsafeRegex(source: string): string | null {
  if (source.length > MAX_PATTERN) return `longer than ${MAX_PATTERN} characters`;
  if (/\\[1-9]|\\k</.test(source)) return 'backreferences are not allowed';
  // a repeated group that itself contains a quantifier: (a+)+, (a|b*)*, (x{2,}){3}; (a+)? is fine
  if (/\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/.test(source)) return 'nested quantifiers are not allowed';
  if (/[*+}]\??[*+{]/.test(source.replace(/\\./g, 'x'))) return 'adjacent quantifiers are not allowed';
  return null;
}

/** Compiles a pattern; a string result is the reason it was refused. */
export function compilePattern(pattern: string): NamePattern | string {
  if (!pattern.startsWith('re:')) return (name) => nameGlob(pattern, name);
  const source = pattern.slice(3);
  const bad = unsafeRegex(source);
  if (bad) return bad;
  let re: RegExp;
  try { re = new RegExp(source, 'i'); } catch (e) { return `invalid regular expression: ${(e as Error).message}`; }
  return (name) => re.test(name.slice(0, MAX_NAME));
}
