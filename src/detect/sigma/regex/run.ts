/**
 * A necessary condition of some regexes, checked before the DFA: every match holds a run of `k` units
 * of one class (`[a-fA-F0-9]{64}`, `[A-Za-z0-9+/]{50,}`). Any run of `k` units covers exactly one of
 * the positions k-1, 2k-1, …, so only those are read until one is in the class (then the run around it
 * is measured): a value with no such run is rejected after reading about one unit in k, where the DFA
 * would read every unit (a rule whose regex has no required literal runs on every record).
 */
import { setMatch, type CharSet, type RNode } from './ast.js';
import { parseRegex } from './parser.js';

/** Shortest run worth a prefilter (shorter runs of common classes are found almost everywhere). */
const MIN_RUN = 8;

/** The longest run of one class that every match contains (top-level sequence only), or null. */
function requiredRun(n: RNode): { set: CharSet; k: number } | null {
  const items = n.t === 'cat' ? n.items : [n];
  let best: { set: CharSet; k: number } | null = null;
  for (const it of items) {
    const r = it.t === 'rep' && it.item.t === 'set' ? { set: it.item.set, k: it.min } : it.t === 'cat' ? requiredRun(it) : null;
    if (r && r.k > (best?.k ?? 0)) best = r;
  }
  return best;
}

export class RunFilter {
  /** ASCII units of the class (others are tested with setMatch, as the VM does) */
  private readonly ascii = new Uint8Array(128);

  private constructor(private readonly set: CharSet, readonly k: number) {
    for (let c = 0; c < 128; c++) this.ascii[c] = setMatch(set, c) ? 1 : 0;
  }

  /** The filter for a pattern, or null when it has no required run of at least MIN_RUN units. */
  static of(pattern: string, flags: string): RunFilter | null {
    let r: { set: CharSet; k: number } | null;
    try { r = requiredRun(parseRegex(pattern, flags)); } catch { return null; }
    return r && r.k >= MIN_RUN ? new RunFilter(r.set, r.k) : null;
  }

  private has(c: number): boolean { return c < 128 ? this.ascii[c] === 1 : setMatch(this.set, c); }

  /** False when `s` holds no run of k units of the class (then the regex cannot match). */
  test(s: string): boolean {
    const k = this.k, n = s.length;
    for (let p = k - 1; p < n; p += k) {
      if (!this.has(s.charCodeAt(p))) continue;
      let a = p, b = p + 1;
      while (a > 0 && this.has(s.charCodeAt(a - 1))) a--;
      while (b < n && b - a < k && this.has(s.charCodeAt(b))) b++;
      if (b - a >= k) return true;
    }
    return false;
  }
}
