/**
 * Aho-Corasick over case-folded patterns: one pass over a text finds every pattern occurrence with its
 * end position (so anchored literals can be checked), exactly.
 *
 * Cache behaviour decides its speed, so the automaton is a hybrid: states are numbered breadth-first
 * and the shallow ones (where a scan spends most steps) get dense rows over the ASCII units that occur
 * in patterns (any other unit resets to the root), within a budget; deeper states keep sparse children
 * and fall back along failure links. Non-ASCII units follow sparse edges and failure links (rare in
 * logs; it keeps a few emoji rules from widening every row). A dense entry is `~next` when `next` has
 * outputs, so the common step is one load and one sign test.
 */

/**
 * Dense-row budget (entries) per automaton: ~2 MB of Int32. SigmaHQ's CommandLine automaton (~74,000
 * states, 71 symbols) then has rows for its first ~7,400 states instead of ~3,700: on the bench's
 * command lines 24% of steps are in sparse states instead of 38%, and a scan takes ~0.88 µs instead of
 * ~1.03 (4 MB: ~0.82).
 */
const DENSE_BUDGET = 1 << 19;

export class AhoCorasick {
  /** ASCII code → symbol; 0 = in no pattern (resets to the root) */
  readonly alpha = new Uint8Array(128);
  readonly width: number;
  /** states [0, dense) have rows: table[s * width + symbol] → next state, or ~next when next has outputs */
  readonly table: Int32Array;
  readonly dense: number;
  /** pattern ids ending in state s (suffix-link outputs included): outIds[outStart[s] .. outStart[s+1]) */
  readonly outStart: Int32Array;
  readonly outIds: Int32Array;
  private readonly fail: Int32Array;
  /** ASCII children of the states without rows: symbols and targets at [childStart[s - dense], childStart[s - dense + 1]) */
  private readonly childStart: Int32Array;
  private readonly childSym: Uint8Array;
  private readonly childNext: Int32Array;
  /** non-ASCII trie edges: state * 65536 + unit → child */
  private readonly high = new Map<number, number>();
  readonly hasHigh: boolean;

  /** `denseBudget`: table entries for dense rows (tests lower it to exercise the sparse states). */
  constructor(patterns: string[], denseBudget = DENSE_BUDGET) {
    let n = 1;
    for (const l of patterns) for (let i = 0; i < l.length; i++) { const c = l.charCodeAt(i); if (c < 128 && !this.alpha[c]) this.alpha[c] = n++; }
    this.width = n;
    // patterns are folded: upper-case ASCII letters share their lower-case symbol, so raw text scans folded
    for (let c = 65; c <= 90; c++) this.alpha[c] = this.alpha[c | 32];
    const { trie, out } = this.trie(patterns);
    this.dense = Math.max(1, Math.min(trie.length, Math.floor(denseBudget / this.width)));
    trie.forEach((m, s) => { for (const [k, c] of m) if (k < 0) this.high.set(s * 65536 - k, c); });
    this.hasHigh = this.high.size > 0;
    this.table = new Int32Array(this.dense * this.width);
    this.fail = new Int32Array(trie.length);
    const sparse = trie.slice(this.dense).map((m) => [...m].filter(([k]) => k > 0));
    this.childStart = new Int32Array(sparse.length + 1);
    sparse.forEach((c, i) => { this.childStart[i + 1] = this.childStart[i] + c.length; });
    this.childSym = Uint8Array.from(sparse.flatMap((c) => c.map(([k]) => k)));
    this.childNext = Int32Array.from(sparse.flatMap((c) => c.map(([, v]) => v)));
    this.build(trie, out);
    this.outStart = new Int32Array(trie.length + 1);
    for (let s = 0; s < trie.length; s++) this.outStart[s + 1] = this.outStart[s] + out[s].length;
    this.outIds = Int32Array.from(out.flat());
    for (let i = 0; i < this.table.length; i++) { const t = this.table[i]; if (out[t].length) this.table[i] = ~t; }
  }

  /** The trie, numbered breadth-first; keys are symbols (ASCII) or -unit (non-ASCII). */
  private trie(patterns: string[]): { trie: Map<number, number>[]; out: number[][] } {
    const trie: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    patterns.forEach((l, id) => {
      let s = 0;
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i), key = c < 128 ? this.alpha[c] : -c;
        let next = trie[s].get(key);
        if (next === undefined) { next = trie.length; trie.push(new Map()); out.push([]); trie[s].set(key, next); }
        s = next;
      }
      out[s].push(id);
    });
    const order = [0];
    for (let qi = 0; qi < order.length; qi++) for (const c of trie[order[qi]].values()) order.push(c);
    const renum = new Int32Array(trie.length);
    order.forEach((old, i) => { renum[old] = i; });
    return { trie: order.map((old) => new Map([...trie[old]].map(([k, c]) => [k, renum[c]]))), out: order.map((old) => out[old]) };
  }

  get states(): number { return this.outStart.length - 1; }

  /** The next state for ASCII symbol `a` (> 0) from a state without a row, along failure links. */
  deep(s: number, a: number): number {
    const { dense, childStart, childSym, childNext } = this;
    while (s >= dense) {
      for (let k = childStart[s - dense], e = childStart[s - dense + 1]; k < e; k++) if (childSym[k] === a) return childNext[k];
      s = this.fail[s];
    }
    const t = this.table[s * this.width + a];
    return t < 0 ? ~t : t;
  }

  /** The state after a non-ASCII unit (sparse edges, then failure links). */
  nextHigh(s: number, c: number): number {
    for (;;) {
      const n = this.high.get(s * 65536 + c);
      if (n !== undefined) return n;
      if (s === 0) return 0;
      s = this.fail[s];
    }
  }

  private build(trie: Map<number, number>[], out: number[][]): void {
    const { table, width, fail, dense } = this;
    for (let s = 0; s < trie.length; s++) {
      // breadth-first numbering: parents and failure states come before their children
      if (s !== 0 && out[fail[s]].length) out[s] = out[s].concat(out[fail[s]]);
      for (const [key, n] of trie[s]) fail[n] = s === 0 ? 0 : key > 0 ? this.deep(fail[s], key) : this.nextHigh(fail[s], -key);
      if (s >= dense) continue;
      for (let a = 1; a < width; a++) {
        const n = trie[s].get(a);
        table[s * width + a] = n !== undefined ? n : s === 0 ? 0 : this.deep(fail[s], a);
      }
    }
  }

  /** The state after unit `c` from state `s` (no sign encoding). */
  step(s: number, c: number): number {
    if (c >= 128) return this.nextHigh(s, c);
    const a = this.alpha[c];
    if (a === 0) return 0;
    if (s >= this.dense) return this.deep(s, a);
    const t = this.table[s * this.width + a];
    return t < 0 ? ~t : t;
  }

  /** True when state `s` has outputs. */
  hasOut(s: number): boolean { return this.outStart[s + 1] > this.outStart[s]; }

  /** Calls `hit(id, end)` for every occurrence of a pattern in `text` (`end`: index of its last unit). Tests and tools; the index inlines this. */
  scan(text: string, hit: (id: number, end: number) => void): void {
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = this.step(s, text.charCodeAt(i));
      for (let k = this.outStart[s], e = this.outStart[s + 1]; k < e; k++) hit(this.outIds[k], i);
    }
  }
}
