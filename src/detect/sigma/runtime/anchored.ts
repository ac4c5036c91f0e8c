/**
 * A trie walked from one end of a text (forward from the start, or backward from the end): finds the
 * patterns that are prefixes (or suffixes) of the text in time bounded by the longest one that fits.
 * The candidate index uses it for `startswith`/whole-value and `endswith` literals, which the
 * Aho-Corasick scan would otherwise report at every inner occurrence only to reject them.
 */
/** Children from which a node gets a row (a linear search over fewer is as fast). */
const ROW_MIN_CHILDREN = 6;

export class AnchoredTrie {
  /** root children for ASCII units (0 = none) */
  private readonly rootAscii = new Int32Array(128);
  /** children of node n: units and targets at [childStart[n], childStart[n + 1]) */
  private readonly childStart: Int32Array;
  private readonly childUnit: Uint16Array;
  private readonly childNext: Int32Array;
  /** nodes with many children get a row over ASCII units: row index per node (-1: none), rows of 128 */
  private readonly rowOf: Int32Array;
  private readonly rows: Int32Array;
  /** patterns ending at node n (the pattern's length is the node's depth) */
  readonly outStart: Int32Array;
  readonly outIds: Int32Array;

  /** `backward`: patterns are matched against the end of the text, last unit first. */
  constructor(patterns: string[], readonly backward: boolean) {
    const kids: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    patterns.forEach((p, id) => {
      let n = 0;
      for (let k = 0; k < p.length; k++) {
        const c = p.charCodeAt(backward ? p.length - 1 - k : k);
        let next = kids[n].get(c);
        if (next === undefined) { next = kids.length; kids.push(new Map()); out.push([]); kids[n].set(c, next); }
        n = next;
      }
      out[n].push(id);
    });
    for (const [c, n] of kids[0]) if (c < 128) this.rootAscii[c] = n;
    this.rowOf = new Int32Array(kids.length).fill(-1);
    const wide = kids.map((m, n) => (n > 0 && m.size >= ROW_MIN_CHILDREN ? n : -1)).filter((n) => n >= 0);
    this.rows = new Int32Array(wide.length * 128);
    wide.forEach((n, r) => { this.rowOf[n] = r; for (const [c, next] of kids[n]) if (c < 128) this.rows[r * 128 + c] = next; });
    this.childStart = new Int32Array(kids.length + 1);
    kids.forEach((m, n) => { this.childStart[n + 1] = this.childStart[n] + m.size; });
    this.childUnit = Uint16Array.from(kids.flatMap((m) => [...m.keys()]));
    this.childNext = Int32Array.from(kids.flatMap((m) => [...m.values()]));
    this.outStart = new Int32Array(kids.length + 1);
    out.forEach((o, n) => { this.outStart[n + 1] = this.outStart[n] + o.length; });
    this.outIds = Int32Array.from(out.flat());
  }

  /** The child of node `n` for unit `c`, or 0 when there is none. */
  child(n: number, c: number): number {
    if (c < 128) {
      if (n === 0) return this.rootAscii[c];
      const r = this.rowOf[n];
      if (r >= 0) return this.rows[r * 128 + c];
    }
    for (let k = this.childStart[n], e = this.childStart[n + 1]; k < e; k++) if (this.childUnit[k] === c) return this.childNext[k];
    return 0;
  }

  /** Calls `hit(id, depth)` for every pattern that is a prefix (suffix when backward) of `s`. */
  walk(s: string, hit: (id: number, depth: number) => void): void {
    const len = s.length;
    let n = 0;
    for (let d = 0; d < len; d++) {
      n = this.child(n, s.charCodeAt(this.backward ? len - 1 - d : d));
      if (n === 0) return;
      for (let k = this.outStart[n], e = this.outStart[n + 1]; k < e; k++) hit(this.outIds[k], d + 1);
    }
  }
}
