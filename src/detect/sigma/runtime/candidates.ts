/**
 * The candidate index of one bucket. Each field rules name is scanned once per record (scan.ts) and
 * the literals found are stamped. A rule is a candidate when every clause of its requirement has a
 * stamped literal: one clause per rule (its trigger, the most selective) is pushed from the scan; the
 * other clauses are checked only for rules whose trigger fired. Rules without a requirement are
 * always candidates. Exact field tests (exact.ts) read the same stamps, so they cost no string work.
 */
import type { ExactTests } from './exact.js';
import type { Frame, FieldSpace } from './frame.js';
import type { View } from './pipeline.js';
import { KEYWORDS, LitKind, type Clause, type FieldLit, type Requirement } from './require.js';
import { FieldScan, type GroupLit, type LitSink } from './scan.js';
import { forEachLeaf } from './fields.js';
import { text } from './values.js';

/** Gives the frame through which a view sees the current record. */
export interface FrameSource { frameFor(view: View): Frame }

/** What the index needs about one assignment: its requirement, its view and the exact tests its predicates read. */
export interface IndexEntry { req: Requirement; view: View; exact: number[] }

/** Flat lists: items of list i are items[start[i] .. start[i+1]). */
class Csr {
  readonly start: Int32Array;
  readonly items: Int32Array;
  constructor(lists: number[][]) {
    this.start = new Int32Array(lists.length + 1);
    lists.forEach((l, i) => { this.start[i + 1] = this.start[i] + l.length; });
    this.items = Int32Array.from(lists.flat());
  }
}

const litScore = (l: FieldLit, refs: number): number => l.text.length + (l.kind === LitKind.Whole ? 4 : l.kind === LitKind.Contains ? 0 : 2) - 3 * Math.log2(1 + refs);

export class CandidateIndex implements LitSink {
  private readonly scans: FieldScan[] = [];
  private readonly always: number[] = [];
  /** literal → rules whose trigger clause names it */
  private readonly triggers: Csr;
  /** rule → its other clauses; clause → literals */
  private readonly restClauses: Csr;
  private readonly clauseLits: Csr;
  /** global exact test id → local id (-1: not in this bucket); local test → values; value → literals */
  private readonly testLocal: Int32Array;
  private readonly testAll: Uint8Array;
  private readonly testValues: Csr;
  private readonly valueLits: Csr;
  private readonly litStamp: Int32Array;
  private readonly ruleStamp: Int32Array;
  private stamp = 0;
  /** rules whose trigger fired on this record: pending[0 .. pendingLen) (the buffers only grow) */
  private readonly pending: number[] = [];
  private pendingLen = 0;
  /** the candidates of the current record: out[0 .. count) (see candidates) */
  readonly out: number[] = [];
  /** literal ids found in the field being scanned, when its value is to be remembered: collect[0 .. collectLen) */
  private collecting = false;
  private readonly collect: number[] = [];
  private collectLen = 0;
  /** per literal, the mark of the last collection that listed it (deduplication without a Set) */
  private collectMark: Int32Array = new Int32Array(0);
  private collectNo = 0;

  constructor(entries: IndexEntry[], space: FieldSpace, ex: ExactTests, memo = true) {
    const litIds = new Map<string, number>();
    const groups = new Map<string, { view: View; slot: number; lits: GroupLit[] }>();
    const refs: number[] = [];
    const litOf = (view: View, l: FieldLit): number => {
      const slot = space.slot(l.field), gk = `${view.id}:${slot}`, key = `${gk}\u0001${l.kind}\u0001${l.text}`;
      let id = litIds.get(key);
      if (id === undefined) {
        id = refs.length;
        litIds.set(key, id);
        refs.push(0);
        let g = groups.get(gk);
        if (!g) { g = { view, slot, lits: [] }; groups.set(gk, g); }
        g.lits.push({ kind: l.kind, text: l.text, id });
      }
      return id;
    };
    // requirements first (so literal reference counts can pick triggers), then exact tests
    const reqIds = entries.map(({ req, view }) => req.map((c) => c.map((l) => litOf(view, l))));
    reqIds.forEach((req) => { for (const c of req) for (const id of new Set(c)) refs[id]++; });
    const triggers: number[][] = refs.map(() => []);
    const rest: number[][] = [], clauseLits: number[][] = [];
    entries.forEach(({ req }, r) => {
      rest.push([]);
      if (req.length === 0) { this.always.push(r); return; }
      if (req.some((c) => c.length === 0)) return; // can never match
      const score = (c: Clause, ids: number[]): number => Math.min(...c.map((l, i) => litScore(l, refs[ids[i]]))) - 0.05 * c.length;
      let best = 0;
      req.forEach((c, i) => { if (score(c, reqIds[r][i]) > score(req[best], reqIds[r][best])) best = i; });
      reqIds[r].forEach((ids, i) => {
        if (i === best) { for (const id of new Set(ids)) triggers[id].push(r); return; }
        rest[r].push(clauseLits.length);
        clauseLits.push([...new Set(ids)]);
      });
    });
    const testLocal = new Int32Array(ex.size).fill(-1), testAll: number[] = [], testValues: number[][] = [], valueLits: number[][] = [];
    entries.forEach(({ view, exact }) => {
      for (const t of exact) {
        if (testLocal[t] >= 0) continue;
        testLocal[t] = testValues.length;
        testAll.push(ex.isAll(t) ? 1 : 0);
        testValues.push(ex.valuesOf(t).map((lits) => { valueLits.push([...new Set(lits.map((l) => litOf(view, l)))]); return valueLits.length - 1; }));
      }
    });
    const kw = space.slot(KEYWORDS);
    for (const g of groups.values()) this.scans.push(new FieldScan(g.view, g.slot, g.lits, memo, g.slot === kw));
    this.triggers = new Csr(triggers);
    this.restClauses = new Csr(rest);
    this.clauseLits = new Csr(clauseLits);
    this.testLocal = testLocal;
    this.testAll = Uint8Array.from(testAll);
    this.testValues = new Csr(testValues);
    this.valueLits = new Csr(valueLits);
    this.litStamp = new Int32Array(refs.length);
    this.ruleStamp = new Int32Array(entries.length);
    // literal → the one-of test classes it decides (a one-of test holds as soon as any of its literals
    // is found; tests over the same literal set, common across rules, share a class)
    const litTests: number[][] = refs.map(() => []);
    const classes = new Map<string, number>();
    const testClass = new Int32Array(testValues.length).fill(-1);
    testValues.forEach((vals, local) => {
      if (testAll[local]) return;
      const lits = [...new Set(vals.flatMap((v) => valueLits[v]))].sort((a, b) => a - b);
      const key = lits.join(',');
      let c = classes.get(key);
      if (c === undefined) {
        c = classes.size;
        classes.set(key, c);
        for (const l of lits) litTests[l].push(c);
      }
      testClass[local] = c;
    });
    this.litTests = new Csr(litTests);
    this.testClass = testClass;
    this.testStamp = new Int32Array(classes.size);
  }

  /** literal → the one-of test classes that hold when it is found; local test → class; per class, the stamp of the last record where it held */
  private readonly litTests: Csr;
  private readonly testClass: Int32Array;
  private readonly testStamp: Int32Array;

  /** Number of automaton states (for stats). */
  get states(): number { return this.scans.reduce((n, g) => n + (g.ac?.states ?? 0), 0); }

  /**
   * Finds the assignment indexes that may match the current record: `out[0 .. count)`, ascending, the
   * count returned. The buffer is reused (it only grows): read it before the next call. Until the next
   * call, `holds` answers for exact tests on this record.
   */
  candidates(src: FrameSource): number {
    this.pendingLen = 0;
    if (++this.stamp === 0x3fffffff) { this.stamp = 1; this.litStamp.fill(0); this.ruleStamp.fill(0); this.testStamp.fill(0); }
    for (const g of this.scans) this.scanField(g, src.frameFor(g.view));
    const out = this.out, pending = this.pending, always = this.always;
    let n = 0;
    for (let i = 0; i < always.length; i++) out[n++] = always[i];
    for (let i = 0; i < this.pendingLen; i++) { const r = pending[i]; if (this.restHolds(r)) out[n++] = r; }
    // insertion sort: a handful of candidates, mostly in order already
    for (let i = 1; i < n; i++) {
      const x = out[i];
      let j = i - 1;
      while (j >= 0 && out[j] > x) { out[j + 1] = out[j]; j--; }
      out[j + 1] = x;
    }
    return n;
  }

  private scanField(g: FieldScan, f: Frame): void {
    if (g.keywords) { this.scanKeywords(g, f.rec.data); return; }
    const v = f.get(g.slot);
    if (typeof v === 'string') { this.scanValue(g, v); return; }
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) { if (!g.scalarText) return; const s = text(v); if (s !== null) g.scan(s, this); return; }
    for (const x of v) this.scanLeaf(g, x);
  }

  /** Every leaf value of the record, as Frame.keywords lists them (without building the list). */
  private scanKeywords(g: FieldScan, data: Record<string, unknown>): void {
    this.keywordGroup = g;
    if (g.memo) { forEachLeaf(data, this.keywordLeaf); return; }
    // no memo (a few literals the skip search finds): the top-level strings, most of a record's values,
    // go straight to the search; the rest as forEachLeaf and keywordLeaf take them
    for (const k in data) {
      const v = data[k];
      if (typeof v === 'string') g.scan(v, this);
      else if (Array.isArray(v)) { for (const x of v) this.keywordLeaf(x); } else if (v !== null && typeof v === 'object') forEachLeaf(v as Record<string, unknown>, this.keywordLeaf);
      else this.keywordLeaf(v);
    }
  }

  /** the keyword group being walked, and the walk's visitor (one function for every record) */
  private keywordGroup: FieldScan | null = null;
  private readonly keywordLeaf = (x: unknown): void => {
    const g = this.keywordGroup as FieldScan;
    if (typeof x === 'string') this.scanValue(g, x);
    // a keyword value that is itself a list matches when one of its elements does (as the predicate reads it)
    else if (Array.isArray(x)) { for (const y of x) this.scanLeaf(g, y); } else this.scanLeaf(g, x);
  };

  private scanLeaf(g: FieldScan, x: unknown): void {
    if (typeof x === 'string') { if (g.keywords) this.scanValue(g, x); else g.scan(x, this); return; }
    if (!g.scalarText) return; // no literal of this field can occur in a number's or boolean's text
    const s = text(x);
    if (s !== null) g.scan(s, this);
  }

  /** Scans one string value, through the field's memo when it has one. */
  private scanValue(g: FieldScan, v: string): void {
    if (!g.memo) { g.scan(v, this); return; }
    const known = g.recall(v);
    if (known) { this.replay(known); return; }
    if (!g.remembering) { g.scan(v, this); return; }
    this.collecting = true;
    this.collectLen = 0;
    g.scan(v, this);
    g.remember(v, this.collected());
    this.collecting = false;
  }

  /**
   * What the literals collected do, flattened for the memo: `[n, lits…, m, rules…, classes…]` (each
   * distinct): the literals to stamp, the rules they trigger, the one-of test classes they decide.
   * Replaying it (`replay`) does what a hit per literal does without reading the per-literal lists.
   */
  private collected(): Int32Array {
    if (this.collectMark.length < this.litStamp.length) this.collectMark = new Int32Array(this.litStamp.length);
    if (this.ruleMark.length < this.ruleStamp.length) this.ruleMark = new Int32Array(this.ruleStamp.length);
    if (this.classMark.length < this.testStamp.length) this.classMark = new Int32Array(this.testStamp.length);
    if (++this.collectNo === 0x3fffffff) { this.collectNo = 1; this.collectMark.fill(0); this.ruleMark.fill(0); this.classMark.fill(0); }
    const mark = this.collectMark, ruleMark = this.ruleMark, classMark = this.classMark, no = this.collectNo, c = this.collect;
    // three passes into one reused buffer (no per-value garbage but the entry itself)
    const buf = this.entryBuf;
    let n = 1;
    for (let i = 0; i < this.collectLen; i++) { const l = c[i]; if (mark[l] !== no) { mark[l] = no; buf[n++] = l; } }
    buf[0] = n - 1;
    const litEnd = n, { start, items } = this.triggers, lt = this.litTests;
    n++;
    for (let i = 1; i < litEnd; i++) {
      const l = buf[i];
      for (let k = start[l], e = start[l + 1]; k < e; k++) { const r = items[k]; if (ruleMark[r] !== no) { ruleMark[r] = no; buf[n++] = r; } }
    }
    buf[litEnd] = n - litEnd - 1;
    for (let i = 1; i < litEnd; i++) {
      const l = buf[i];
      for (let k = lt.start[l], e = lt.start[l + 1]; k < e; k++) { const t = lt.items[k]; if (classMark[t] !== no) { classMark[t] = no; buf[n++] = t; } }
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = buf[i];
    return out;
  }

  /** scratch for `collected` (a plain array: it grows as needed) */
  private readonly entryBuf: number[] = [];
  /** Per rule and per test class, the mark of the last collection that listed it. */
  private ruleMark: Int32Array = new Int32Array(0);
  private classMark: Int32Array = new Int32Array(0);

  /** Applies a remembered value's literals (see collected): as a hit of each, in three flat loops. */
  private replay(e: Int32Array): void {
    const stamp = this.stamp, litStamp = this.litStamp, ruleStamp = this.ruleStamp, testStamp = this.testStamp, pending = this.pending;
    const nl = e[0];
    let k = 1;
    for (; k <= nl; k++) litStamp[e[k]] = stamp;
    const end = k + 1 + e[k];
    for (k++; k < end; k++) { const r = e[k]; if (ruleStamp[r] !== stamp) { ruleStamp[r] = stamp; pending[this.pendingLen++] = r; } }
    for (; k < e.length; k++) testStamp[e[k]] = stamp;
  }

  /** A literal was found where it must be. */
  hit(l: number): void {
    // collected before the stamp test: a memo entry lists every literal of its value, even those an
    // earlier value of the same record (keyword searches scan several) already stamped
    if (this.collecting) this.collect[this.collectLen++] = l;
    const stamp = this.stamp;
    if (this.litStamp[l] === stamp) return;
    this.litStamp[l] = stamp;
    const { start, items } = this.triggers;
    for (let k = start[l], e = start[l + 1]; k < e; k++) {
      const r = items[k];
      if (this.ruleStamp[r] !== stamp) { this.ruleStamp[r] = stamp; this.pending[this.pendingLen++] = r; }
    }
    const lt = this.litTests;
    for (let k = lt.start[l], e = lt.start[l + 1]; k < e; k++) this.testStamp[lt.items[k]] = stamp;
  }

  private anyStamped(lits: Csr, i: number): boolean {
    const { start, items } = lits, stamp = this.stamp;
    for (let k = start[i], e = start[i + 1]; k < e; k++) if (this.litStamp[items[k]] === stamp) return true;
    return false;
  }

  private restHolds(r: number): boolean {
    const { start, items } = this.restClauses;
    for (let k = start[r], e = start[r + 1]; k < e; k++) if (!this.anyStamped(this.clauseLits, items[k])) return false;
    return true;
  }

  /** True when exact test `t` (a global id) holds on the current record. */
  holds(t: number): boolean {
    const local = this.testLocal[t];
    if (local < 0) throw new Error(`exact test ${t} is not indexed in this bucket`);
    if (this.testAll[local] === 0) return this.testStamp[this.testClass[local]] === this.stamp;
    // all of: every value needs one of its alternatives
    const { start, items } = this.testValues;
    for (let k = start[local], e = start[local + 1]; k < e; k++) if (!this.anyStamped(this.valueLits, items[k])) return false;
    return true;
  }
}
