/**
 * One scanned field of a bucket (view + field slot): finds which of the literals rules name in that
 * field occur in a record's folded value, each where it must (anywhere, at the start, at the end, or
 * as the whole value). One structure per kind of literal: a forward trie for starts-with and whole
 * values, a backward trie for ends-with, a unit table for one-unit contains, Aho-Corasick for longer
 * contains. Field values repeat a lot in process telemetry (images, hashes, users, folders), so the
 * literal ids found for a value are remembered per raw string (bounded; cleared when full).
 */
import { AhoCorasick } from './aho.js';
import { AnchoredTrie } from './anchored.js';
import type { View } from './pipeline.js';
import { LitKind } from './require.js';

/** Receives the literal ids found (the candidate index). */
export interface LitSink { hit(lit: number): void }

export type GroupLit = { kind: LitKind; text: string; id: number };

/** Remembered values per field before the memo is cleared (bounds its memory). */
const MEMO_MAX = 4096;

export class FieldScan {
  /** starts-with and whole-value literals (walked from the start; whole ones need the full length) */
  private readonly fwd: AnchoredTrie | null;
  private readonly fwdLit: Int32Array;
  private readonly fwdWhole: Uint8Array;
  /** ends-with literals (walked from the end) */
  private readonly bwd: AnchoredTrie | null;
  private readonly bwdLit: Int32Array;
  /** one-unit contains literals (inside the automaton they would fire at most positions): unit → id + 1 */
  private readonly charAscii = new Int32Array(128);
  private readonly charHigh = new Map<number, number>();
  private readonly hasChars: boolean;
  /** longer contains literals */
  readonly ac: AhoCorasick | null;
  private readonly acLit: Int32Array;
  /** raw value → literal ids found in it */
  readonly memo: Map<string, Int32Array> | null;
  /** the keyword pseudo field: every leaf value of the record is scanned */
  readonly keywords: boolean;

  constructor(readonly view: View, readonly slot: number, lits: GroupLit[], memo: boolean, keywords: boolean) {
    this.keywords = keywords;
    const fwd = lits.filter((l) => l.kind === LitKind.Starts || l.kind === LitKind.Whole);
    const bwd = lits.filter((l) => l.kind === LitKind.Ends);
    const chars = lits.filter((l) => l.kind === LitKind.Contains && l.text.length === 1);
    const ac = lits.filter((l) => l.kind === LitKind.Contains && l.text.length > 1);
    const ids = (ls: GroupLit[]): Int32Array => Int32Array.from(ls.map((l) => l.id));
    this.fwd = fwd.length ? new AnchoredTrie(fwd.map((l) => l.text), false) : null;
    this.fwdLit = ids(fwd);
    this.fwdWhole = Uint8Array.from(fwd.map((l) => (l.kind === LitKind.Whole ? 1 : 0)));
    this.bwd = bwd.length ? new AnchoredTrie(bwd.map((l) => l.text), true) : null;
    this.bwdLit = ids(bwd);
    for (const l of chars) { const c = l.text.charCodeAt(0); if (c < 128) this.charAscii[c] = l.id + 1; else this.charHigh.set(c, l.id + 1); }
    this.hasChars = chars.length > 0;
    this.ac = ac.length ? new AhoCorasick(ac.map((l) => l.text)) : null;
    this.acLit = ids(ac);
    this.memo = memo ? new Map() : null;
  }

  /** Remembers the literal ids found in `raw`. */
  remember(raw: string, lits: number[]): void {
    const m = this.memo;
    if (!m) return;
    if (m.size >= MEMO_MAX) m.clear();
    m.set(raw, Int32Array.from(lits));
  }

  /** Reports every literal found in the folded value `s` (ids may repeat). */
  scan(s: string, sink: LitSink): void {
    const len = s.length;
    if (this.fwd) {
      const t = this.fwd;
      for (let d = 0, n = 0; d < len; d++) {
        n = t.child(n, s.charCodeAt(d));
        if (n === 0) break;
        for (let k = t.outStart[n], e = t.outStart[n + 1]; k < e; k++) { const p = t.outIds[k]; if (!this.fwdWhole[p] || d + 1 === len) sink.hit(this.fwdLit[p]); }
      }
    }
    if (this.bwd) {
      const t = this.bwd;
      for (let d = len - 1, n = 0; d >= 0; d--) {
        n = t.child(n, s.charCodeAt(d));
        if (n === 0) break;
        for (let k = t.outStart[n], e = t.outStart[n + 1]; k < e; k++) sink.hit(this.bwdLit[t.outIds[k]]);
      }
    }
    if (this.ac) this.contains(this.ac, s, sink);
    else if (this.hasChars) for (let i = 0; i < len; i++) this.char(s.charCodeAt(i), sink);
  }

  private char(c: number, sink: LitSink): void {
    const q = c < 128 ? this.charAscii[c] : this.charHigh.get(c) ?? 0;
    if (q !== 0) sink.hit(q - 1);
  }

  private contains(ac: AhoCorasick, s: string, sink: LitSink): void {
    const { table, width, alpha, dense, outStart, outIds } = ac;
    const lits = this.acLit, chars = this.hasChars;
    let st = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (chars) this.char(c, sink);
      if (c < 128) {
        const a = alpha[c];
        if (a === 0) { st = 0; continue; }
        if (st < dense) {
          st = table[st * width + a];
          if (st >= 0) continue;
          st = ~st;
        } else { st = ac.deep(st, a); if (!ac.hasOut(st)) continue; }
      } else { st = ac.hasHigh ? ac.nextHigh(st, c) : 0; if (!ac.hasOut(st)) continue; }
      for (let k = outStart[st], e = outStart[st + 1]; k < e; k++) sink.hit(lits[outIds[k]]);
    }
  }
}
