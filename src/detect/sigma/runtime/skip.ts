/**
 * Set-Horspool search for a few case-folded ASCII literals: it reads about one unit in every
 * (shortest literal) of a text instead of every unit, which makes fields that only a handful of rules
 * search (keyword searches read every value of a record) cheaper than hashing them into a memo.
 *
 * Folding is exact without lowering the text: ASCII letters fold in place; of all non-ASCII units only
 * U+212A (Kelvin sign → "k") and U+0130 (İ → "i" + U+0307) lower to something containing ASCII. The
 * Kelvin sign is one "k"; İ can end a match as "i" but nothing can follow it (U+0307 is not ASCII);
 * every other non-ASCII unit can be in no match of an ASCII literal.
 */

/** Most literals searched through an anchor unit each (beyond it one Horspool pass costs less). */
const ANCHOR_MAX_LITERALS = 2;
/** Non-letter units by how often they occur in log values, most often first (an anchor should be rare). */
const COMMON_UNITS = ' \\.-/:_,=0123456789"';

/**
 * The anchor of a literal: its rarest non-letter ASCII unit and where it is, or null. Only that unit
 * folds to itself (lowering changes letters only; the Kelvin sign and İ fold to letters), so a native
 * indexOf of it finds every place a match can be.
 */
function anchorOf(l: string): { unit: string; at: number } | null {
  let best: { unit: string; at: number } | null = null, rank = -2;
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    if (c >= 128 || (c >= 97 && c <= 122)) continue;
    const r = COMMON_UNITS.indexOf(l[i]);
    const score = r < 0 ? COMMON_UNITS.length : r;
    if (score > rank) { rank = score; best = { unit: l[i], at: i }; }
  }
  return best;
}

/** Literals longer than this many per group are left to Aho-Corasick. */
export const SKIP_MAX_LITERALS = 16;
/** Shortest literal the skip search accepts (shorter ones would skip too little). */
export const SKIP_MIN_LENGTH = 4;
/** Longest literal it accepts: a verification costs at most this many units per literal and position. */
export const SKIP_MAX_LENGTH = 64;

const KELVIN = 0x212a, DOTTED_I = 0x130;

/** The folded unit for position reads: ASCII lower-case, -1 for a unit no ASCII literal can contain. */
function fold(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c | 32 : c;
  return c === KELVIN ? 107 : c === DOTTED_I ? 105 : -1;
}

/** True when `lits` suit the skip search. */
export function skippable(lits: string[]): boolean {
  if (lits.length === 0 || lits.length > SKIP_MAX_LITERALS) return false;
  return lits.every((l) => l.length >= SKIP_MIN_LENGTH && l.length <= SKIP_MAX_LENGTH && /^[\x00-\x7f]*$/.test(l) && l === l.toLowerCase());
}

export class SkipSearch {
  private readonly m: number;
  /** folded ASCII unit → how far the window may move when it ends on that unit */
  private readonly shift = new Uint8Array(128);
  /** folded ASCII unit → the literals whose m-th unit it is (their indexes), as a flat list */
  private readonly lastStart = new Int32Array(129);
  private readonly lastIds: Int32Array;
  private readonly codes: Uint16Array[];
  /** per literal, its anchor unit and offset, when every literal has one and they are few (null: Horspool) */
  private readonly anchors: { unit: string; at: number }[] | null;

  constructor(readonly lits: string[]) {
    const m = Math.min(...lits.map((l) => l.length));
    this.m = m;
    this.shift.fill(Math.min(m, 255));
    for (const l of lits) for (let i = 0; i < m - 1; i++) { const c = l.charCodeAt(i); this.shift[c] = Math.min(this.shift[c], m - 1 - i); }
    const byLast: number[][] = Array.from({ length: 128 }, () => []);
    lits.forEach((l, id) => byLast[l.charCodeAt(m - 1)].push(id));
    for (let c = 0; c < 128; c++) this.lastStart[c + 1] = this.lastStart[c] + byLast[c].length;
    this.lastIds = Int32Array.from(byLast.flat());
    this.codes = lits.map((l) => Uint16Array.from(l, (ch) => ch.charCodeAt(0)));
    const anchors = lits.map(anchorOf);
    this.anchors = lits.length <= ANCHOR_MAX_LITERALS && anchors.every((a) => a !== null) ? (anchors as { unit: string; at: number }[]) : null;
  }

  /** Reports `ids[i]` to `sink` for every literal `i` found in `s` (folded), possibly more than once. */
  search(s: string, sink: { hit(id: number): void }, ids: Int32Array): void {
    if (this.anchors) { this.anchored(this.anchors, s, sink, ids); return; }
    const m = this.m, n = s.length, shift = this.shift;
    let j = m - 1;
    while (j < n) {
      const c = fold(s.charCodeAt(j));
      if (c < 0) { j += m; continue; }
      for (let k = this.lastStart[c], e = this.lastStart[c + 1]; k < e; k++) {
        const id = this.lastIds[k];
        if (this.verify(s, j - m + 1, this.codes[id])) sink.hit(ids[id]);
      }
      j += shift[c];
    }
  }

  /** The search through each literal's anchor unit (native indexOf), reporting each literal at most once. */
  private anchored(anchors: { unit: string; at: number }[], s: string, sink: { hit(id: number): void }, ids: Int32Array): void {
    for (let k = 0; k < anchors.length; k++) {
      const { unit, at } = anchors[k], p = this.codes[k];
      for (let i = s.indexOf(unit, at); i >= 0; i = s.indexOf(unit, i + 1)) {
        if (this.verify(s, i - at, p)) { sink.hit(ids[k]); break; }
      }
    }
  }

  /** True when `p` (folded codes) occurs in `s` at `at`. */
  private verify(s: string, at: number, p: Uint16Array): boolean {
    const len = p.length;
    if (at + len > s.length) return false;
    for (let i = 0; i < len; i++) {
      const u = s.charCodeAt(at + i);
      let c: number;
      if (u < 128) c = u >= 65 && u <= 90 ? u | 32 : u;
      else if (u === KELVIN) c = 107;
      else if (u === DOTTED_I && i === len - 1) c = 105; // İ lowers to "i" + U+0307: only as the last unit
      else return false;
      if (c !== p[i]) return false;
    }
    return true;
  }
}
