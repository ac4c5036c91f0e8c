/** Regex syntax tree for the linear-time engine (the PCRE subset Sigma rules use). */

/** A class item: a code point range or a named class (`d` `w` `s` and their negations `D` `W` `S`). */
export type ClassItem = { lo: number; hi: number } | { named: 'd' | 'w' | 's' | 'D' | 'W' | 'S' };

export interface CharSet { items: ClassItem[]; neg: boolean; icase: boolean }

export type Assertion = 'bol' | 'eol' | 'bos' | 'eos' | 'eosnl' | 'wordb' | 'nwordb';

export type RNode =
  | { t: 'set'; set: CharSet }
  | { t: 'any'; dotall: boolean }
  | { t: 'cat'; items: RNode[] }
  | { t: 'alt'; items: RNode[] }
  | { t: 'rep'; item: RNode; min: number; max: number /* -1 = unbounded */ }
  | { t: 'assert'; kind: Assertion }
  | { t: 'empty' };

export class RegexError extends Error {}

const inRanges = (c: number, lo: number, hi: number): boolean => c >= lo && c <= hi;

function isWord(c: number): boolean {
  return inRanges(c, 48, 57) || inRanges(c, 65, 90) || inRanges(c, 97, 122) || c === 95;
}
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}

/** True when `c` is a word character (for `\b`). */
export { isWord };

function namedMatch(n: string, c: number): boolean {
  switch (n) {
    case 'd': return inRanges(c, 48, 57);
    case 'D': return !inRanges(c, 48, 57);
    case 'w': return isWord(c);
    case 'W': return !isWord(c);
    case 's': return isSpace(c);
    default: return !isSpace(c);
  }
}

function rawSetMatch(items: ClassItem[], c: number): boolean {
  for (const it of items) {
    if ('named' in it ? namedMatch(it.named, c) : c >= it.lo && c <= it.hi) return true;
  }
  return false;
}

/** Tests one code unit against a set, honouring case-insensitivity and negation. */
export function setMatch(s: CharSet, c: number): boolean {
  let hit = rawSetMatch(s.items, c);
  if (!hit && s.icase) {
    const ch = String.fromCharCode(c);
    const lo = ch.toLowerCase().charCodeAt(0), up = ch.toUpperCase().charCodeAt(0);
    hit = (lo !== c && rawSetMatch(s.items, lo)) || (up !== c && rawSetMatch(s.items, up));
  }
  return s.neg ? !hit : hit;
}
