/**
 * Aho-Corasick over case-folded patterns: one pass over a text finds every pattern occurrence, with
 * its end position (so anchored literals can be checked). Transitions are a dense table over a reduced
 * alphabet (ASCII characters that occur in patterns); every non-ASCII unit shares one symbol, which
 * over-approximates (more hits, never fewer). Output lists are flat (CSR) arrays.
 */
export class AhoCorasick {
  /** ASCII code → symbol; 0 = in no pattern (resets to the root). Non-ASCII units are symbol 1. */
  readonly alpha = new Uint8Array(128);
  readonly width: number;
  /** state × width → next state */
  readonly table: Int32Array;
  /** pattern ids ending in state s (suffix-link outputs included): outIds[outStart[s] .. outStart[s+1]) */
  readonly outStart: Int32Array;
  readonly outIds: Int32Array;

  constructor(patterns: string[]) {
    let n = 2;
    for (const l of patterns) for (let i = 0; i < l.length; i++) { const c = l.charCodeAt(i); if (c < 128 && !this.alpha[c]) this.alpha[c] = n++; }
    this.width = n;
    const trie: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    patterns.forEach((l, id) => {
      let s = 0;
      for (let i = 0; i < l.length; i++) {
        const a = this.sym(l.charCodeAt(i));
        let next = trie[s].get(a);
        if (next === undefined) { next = trie.length; trie.push(new Map()); out.push([]); trie[s].set(a, next); }
        s = next;
      }
      out[s].push(id);
    });
    this.table = new Int32Array(trie.length * this.width);
    this.build(trie, out);
    this.outStart = new Int32Array(trie.length + 1);
    for (let s = 0; s < trie.length; s++) this.outStart[s + 1] = this.outStart[s] + out[s].length;
    this.outIds = Int32Array.from(out.flat());
  }

  /** The symbol of a code unit. */
  sym(c: number): number { return c < 128 ? this.alpha[c] : 1; }

  get states(): number { return this.outStart.length - 1; }

  private build(trie: Map<number, number>[], out: number[][]): void {
    const { table, width } = this;
    const fail = new Int32Array(trie.length);
    const queue: number[] = [];
    for (const [a, n] of trie[0]) { table[a] = n; queue.push(n); }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      if (out[fail[s]].length) out[s] = out[s].concat(out[fail[s]]);
      for (let a = 1; a < width; a++) {
        const n = trie[s].get(a);
        if (n !== undefined) { fail[n] = table[fail[s] * width + a]; table[s * width + a] = n; queue.push(n); } else table[s * width + a] = table[fail[s] * width + a];
      }
    }
  }

  /** Calls `hit(id, end)` for every occurrence in `text` (`end`: index of its last unit). Tests and tools; the index inlines this loop. */
  scan(text: string, hit: (id: number, end: number) => void): void {
    const { table, width, outStart, outIds } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const a = this.sym(text.charCodeAt(i));
      s = a === 0 ? 0 : table[s * width + a];
      for (let k = outStart[s], e = outStart[s + 1]; k < e; k++) hit(outIds[k], i);
    }
  }
}
