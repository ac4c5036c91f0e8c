/**
 * Aho-Corasick over case-folded literals: one pass over a record's text finds every literal that
 * occurs in it. Transitions are a dense table over a reduced alphabet (chars that occur in literals).
 */
export class AhoCorasick {
  /** code unit → symbol; 0 = in no literal. Non-ASCII units share one symbol (over-approximates: more candidates, never fewer). */
  private readonly alpha = new Uint8Array(65536);
  private table: Int32Array;
  /** per state: literal ids ending here (including via suffix links) */
  private readonly out: number[][] = [];
  private readonly width: number;

  constructor(literals: string[]) {
    // symbol 1: every non-ASCII unit; ASCII units found in literals get their own symbol from 2
    this.alpha.fill(1, 128);
    let n = 2;
    for (const l of literals) for (let i = 0; i < l.length; i++) { const c = l.charCodeAt(i); if (c < 128 && !this.alpha[c]) this.alpha[c] = n++; }
    this.width = n;
    // trie
    const trie: Map<number, number>[] = [new Map()];
    this.out.push([]);
    literals.forEach((l, id) => {
      let s = 0;
      for (let i = 0; i < l.length; i++) {
        const a = this.alpha[l.charCodeAt(i)];
        let n = trie[s].get(a);
        if (n === undefined) { n = trie.length; trie.push(new Map()); this.out.push([]); trie[s].set(a, n); }
        s = n;
      }
      this.out[s].push(id);
    });
    this.table = new Int32Array(trie.length * this.width);
    this.build(trie);
  }

  private build(trie: Map<number, number>[]): void {
    const fail = new Int32Array(trie.length);
    const queue: number[] = [];
    for (const [a, n] of trie[0]) { this.table[a] = n; queue.push(n); }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      if (this.out[fail[s]].length) this.out[s] = this.out[s].concat(this.out[fail[s]]);
      for (let a = 1; a < this.width; a++) {
        const n = trie[s].get(a);
        if (n !== undefined) { fail[n] = this.table[fail[s] * this.width + a]; this.table[s * this.width + a] = n; queue.push(n); } else this.table[s * this.width + a] = this.table[fail[s] * this.width + a];
      }
    }
  }

  /** Like scan, for several values (each scanned from the root state). */
  scanAll(texts: string[], hit: (id: number) => void): void { for (const t of texts) this.scan(t, hit); }

  /** Calls `hit(id)` for every literal occurrence in `text` (ids may repeat). */
  scan(text: string, hit: (id: number) => void): void {
    const { table, width, alpha, out } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const a = alpha[text.charCodeAt(i)];
      s = a === 0 ? 0 : table[s * width + a];
      const o = out[s];
      if (o.length) for (let k = 0; k < o.length; k++) hit(o[k]);
    }
  }
}
