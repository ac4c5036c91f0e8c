/**
 * One scanned field of a bucket (view + field slot): finds which of the literals rules name in that
 * field occur in a record's folded value, each where it must (anywhere, at the start, at the end, or
 * as the whole value). One structure per kind of literal: a forward trie for starts-with and whole
 * values, a backward trie for ends-with, units seen for one-unit contains, and for longer contains a
 * skip search (a few long ASCII literals) or Aho-Corasick. Field values repeat a lot in process
 * telemetry (images, hashes, users, folders), so the literal ids found for a value are remembered
 * per raw string (memo.ts: bounded; cleared when full).
 */
import { AhoCorasick } from './aho.js';
import { AnchoredTrie } from './anchored.js';
import type { View } from './pipeline.js';
import { LitKind } from './require.js';
import { ValueMemo } from './memo.js';
import { SkipSearch, skippable } from './skip.js';

/** Receives the literal ids found (the candidate index). */
export interface LitSink { hit(lit: number): void }

export type GroupLit = { kind: LitKind; text: string; id: number };

/** Longest value remembered (longer ones are scanned each time: the memo's memory stays bounded). */
const MEMO_MAX_LENGTH = 4096;
/** Memo lookups per hit-rate check; below 1 hit in 4 the memo stops storing for MEMO_PAUSE values. */
const MEMO_WINDOW = 1024;
const MEMO_PAUSE = 16384;

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
  /** the ASCII one-unit literals (folded units), and per unit the stamp of the last scan that saw it */
  private readonly asciiChars: Int32Array;
  private readonly seen = new Int32Array(128);
  private seenStamp = 0;
  /** longer contains literals: a skip search when they are few, ASCII and long enough, else Aho-Corasick */
  readonly ac: AhoCorasick | null;
  private readonly skip: SkipSearch | null;
  /** only skip-searched literals: no other pass, no restart on lowered text */
  private readonly skipOnly: boolean;
  private readonly acLit: Int32Array;
  /** raw value → literal ids found in it (null: no memo for this field) */
  readonly memo: ValueMemo | null;
  private memoLookups = 0;
  private memoHits = 0;
  private memoOff = 0;
  /** the keyword pseudo field: every leaf value of the record is scanned */
  readonly keywords: boolean;
  /**
   * False when no literal can occur in the text of a number or boolean (each holds a unit no such text
   * has): those values need no scan (and no string made for them).
   */
  readonly scalarText: boolean;

  constructor(readonly view: View, readonly slot: number, lits: GroupLit[], memo: boolean, keywords: boolean) {
    this.keywords = keywords;
    this.scalarText = lits.some((l) => /^[0-9a-z.+-]*$/.test(l.text));
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
    this.asciiChars = Int32Array.from(chars.map((l) => l.text.charCodeAt(0)).filter((c) => c < 128));
    const texts = ac.map((l) => l.text);
    this.skip = !this.hasChars && skippable(texts) ? new SkipSearch(texts) : null;
    this.ac = ac.length && !this.skip ? new AhoCorasick(texts) : null;
    this.acLit = ids(ac);
    this.skipOnly = this.skip !== null && !this.fwd && !this.bwd;
    // keyword searches read every value of a record: against a few literals the skip search costs less
    // than a lookup; with an automaton, and for named fields, a lookup wins (even over short trie walks)
    this.memo = memo && !(keywords && this.skipOnly) ? new ValueMemo() : null;
  }

  /** Remembers the literal ids found in `raw` (call after a `recall` miss; the memo bounds itself). */
  remember(raw: string, lits: Int32Array): void {
    if (this.memo && raw.length <= MEMO_MAX_LENGTH) this.memo.set(raw, lits);
  }

  /**
   * The literal ids remembered for `raw`, or undefined. A lookup costs far less than a scan, so it is
   * always made; storing is adaptive: a field whose values rarely repeat (unique command lines) stops
   * storing for a while, keeping what it has (the values that do repeat still hit), then tries again.
   */
  recall(raw: string): Int32Array | undefined {
    if (raw.length > MEMO_MAX_LENGTH) return undefined;
    const known = (this.memo as ValueMemo).get(raw);
    if (known) this.memoHits++;
    if (this.memoOff > 0) this.memoOff--;
    if (++this.memoLookups === MEMO_WINDOW) {
      if (this.memoOff === 0 && this.memoHits * 4 < MEMO_WINDOW) this.memoOff = MEMO_PAUSE;
      this.memoLookups = 0;
      this.memoHits = 0;
    }
    return known;
  }

  /** True when the memo stores the next value it misses (not paused). */
  get remembering(): boolean { return this.memo !== null && this.memoOff === 0; }

  /**
   * Reports every literal found in the value `s` as case-folded (ids may repeat). ASCII is folded on
   * the fly; at the first non-ASCII unit the scan restarts on `s.toLowerCase()` (folding may change
   * lengths there), which finds everything reported so far again.
   */
  scan(s: string, sink: LitSink): void {
    if (this.skipOnly) { (this.skip as SkipSearch).search(s, sink, this.acLit); return; } // folds every unit itself
    if (!this.scanUnits(s, sink, true)) this.scanUnits(s.toLowerCase(), sink, false);
  }

  /** One pass; `raw`: fold ASCII here and give up (false) at a non-ASCII unit. */
  private scanUnits(s: string, sink: LitSink, raw: boolean): boolean {
    const len = s.length;
    if (this.fwd) {
      const t = this.fwd;
      for (let d = 0, n = 0; d < len; d++) {
        let c = s.charCodeAt(d);
        if (c >= 65 && c <= 90) c |= 32;
        else if (c >= 128 && raw) return false;
        n = t.child(n, c);
        if (n === 0) break;
        for (let k = t.outStart[n], e = t.outStart[n + 1]; k < e; k++) { const p = t.outIds[k]; if (!this.fwdWhole[p] || d + 1 === len) sink.hit(this.fwdLit[p]); }
      }
    }
    if (this.bwd) {
      const t = this.bwd;
      for (let d = len - 1, n = 0; d >= 0; d--) {
        let c = s.charCodeAt(d);
        if (c >= 65 && c <= 90) c |= 32;
        else if (c >= 128 && raw) return false;
        n = t.child(n, c);
        if (n === 0) break;
        for (let k = t.outStart[n], e = t.outStart[n + 1]; k < e; k++) sink.hit(this.bwdLit[t.outIds[k]]);
      }
    }
    if (this.ac) return this.contains(this.ac, s, sink, raw);
    if (this.skip) this.skip.search(s, sink, this.acLit);
    if (this.hasChars) {
      for (let i = 0; i < len; i++) {
        let c = s.charCodeAt(i);
        if (c >= 65 && c <= 90) c |= 32;
        else if (c >= 128 && raw) return false;
        this.char(c, sink);
      }
    }
    return true;
  }

  private char(c: number, sink: LitSink): void {
    const q = c < 128 ? this.charAscii[c] : this.charHigh.get(c) ?? 0;
    if (q !== 0) sink.hit(q - 1);
  }

  /**
   * The automaton folds ASCII itself (upper-case letters share their lower-case symbol). One-unit
   * literals are noted per unit seen and reported once after the pass (a space or a dash would
   * otherwise report at most positions).
   */
  private contains(ac: AhoCorasick, s: string, sink: LitSink, raw: boolean): boolean {
    const { table, width, alpha, dense, outStart, outIds } = ac;
    const lits = this.acLit, chars = this.hasChars, seen = this.seen;
    const stamp = chars ? this.nextSeenStamp() : 0;
    let st = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        seen[c] = stamp;
        // symbol 0 (a unit in no literal) has a column of zeros: back to the root without a branch
        const a = alpha[c];
        if (st < dense) {
          st = table[st * width + a];
          if (st >= 0) continue;
          st = ~st;
        } else { st = a === 0 ? 0 : ac.deep(st, a); if (!ac.hasOut(st)) continue; }
      } else {
        if (raw) return false;
        if (chars) this.char(c, sink);
        st = ac.hasHigh ? ac.nextHigh(st, c) : 0;
        if (!ac.hasOut(st)) continue;
      }
      for (let k = outStart[st], e = outStart[st + 1]; k < e; k++) sink.hit(lits[outIds[k]]);
    }
    if (chars) {
      const units = this.asciiChars, fold = this.charAscii;
      for (let k = 0; k < units.length; k++) {
        const u = units[k];
        // a folded letter literal is present when either case was seen
        if (seen[u] === stamp || (u >= 97 && u <= 122 && seen[u ^ 32] === stamp)) sink.hit(fold[u] - 1);
      }
    }
    return true;
  }

  private nextSeenStamp(): number {
    if (++this.seenStamp === 0x3fffffff) { this.seenStamp = 1; this.seen.fill(0); }
    return this.seenStamp;
  }
}
