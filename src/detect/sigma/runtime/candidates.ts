/**
 * The candidate index of one bucket: per scanned field (view + slot) an Aho-Corasick automaton over the
 * literals rules require in that field. A record's folded field values are scanned once; a literal
 * counts only where its anchoring holds (start, end, whole value); a clause is satisfied by any of its
 * literals; a rule is a candidate when all of its clauses are. Rules without a requirement always are.
 */
import { AhoCorasick } from './aho.js';
import type { Frame, FieldSpace } from './frame.js';
import type { View } from './pipeline.js';
import { LitKind, type Requirement } from './require.js';
import { text } from './values.js';

/** One scanned field: its automaton and, per pattern, the anchoring, length and global literal id. */
interface ScanGroup { view: View; slot: number; ac: AhoCorasick; kind: Uint8Array; len: Int32Array; lit: Int32Array }

/** Gives the frame through which a view sees the current record. */
export interface FrameSource { frameFor(view: View): Frame }

const csr = (lists: number[][]): { start: Int32Array; items: Int32Array } => {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => { start[i + 1] = start[i] + l.length; });
  return { start, items: Int32Array.from(lists.flat()) };
};

export class CandidateIndex {
  private readonly groups: ScanGroup[] = [];
  private readonly always: number[] = [];
  private readonly litClauseStart: Int32Array;
  private readonly litClauses: Int32Array;
  private readonly clauseRule: Int32Array;
  private readonly need: Int32Array;
  private readonly litStamp: Int32Array;
  private readonly clauseStamp: Int32Array;
  private readonly ruleStamp: Int32Array;
  private readonly ruleCount: Int32Array;
  private stamp = 0;
  private readonly out: number[] = [];

  /** `reqs[i]`, `views[i]`: the requirement of assignment i and the view it sees records through (null req: never matches). */
  constructor(reqs: Requirement[], views: View[], space: FieldSpace) {
    const litIds = new Map<string, number>();
    const litClauses: number[][] = [];
    const clauseRule: number[] = [];
    const groupLits = new Map<string, { view: View; slot: number; lits: { kind: LitKind; text: string; id: number }[] }>();
    this.need = new Int32Array(reqs.length);
    reqs.forEach((req, r) => {
      if (req.length === 0) { this.always.push(r); return; }
      if (req.some((c) => c.length === 0)) { this.need[r] = -1; return; } // can never match
      this.need[r] = req.length;
      for (const clause of req) {
        const c = clauseRule.length;
        clauseRule.push(r);
        for (const l of clause) {
          const slot = space.slot(l.field), gk = `${views[r].id}:${slot}`;
          const key = `${gk}\u0001${l.kind}\u0001${l.text}`;
          let id = litIds.get(key);
          if (id === undefined) {
            id = litClauses.length;
            litIds.set(key, id);
            litClauses.push([]);
            let g = groupLits.get(gk);
            if (!g) { g = { view: views[r], slot, lits: [] }; groupLits.set(gk, g); }
            g.lits.push({ kind: l.kind, text: l.text, id });
          }
          if (litClauses[id][litClauses[id].length - 1] !== c) litClauses[id].push(c);
        }
      }
    });
    for (const g of groupLits.values()) {
      this.groups.push({
        view: g.view, slot: g.slot, ac: new AhoCorasick(g.lits.map((l) => l.text)),
        kind: Uint8Array.from(g.lits.map((l) => l.kind)), len: Int32Array.from(g.lits.map((l) => l.text.length)), lit: Int32Array.from(g.lits.map((l) => l.id)),
      });
    }
    const lc = csr(litClauses);
    this.litClauseStart = lc.start;
    this.litClauses = lc.items;
    this.clauseRule = Int32Array.from(clauseRule);
    this.litStamp = new Int32Array(litClauses.length);
    this.clauseStamp = new Int32Array(clauseRule.length);
    this.ruleStamp = new Int32Array(reqs.length);
    this.ruleCount = new Int32Array(reqs.length);
  }

  /** Number of automaton states (for stats and the memory bench). */
  get states(): number { return this.groups.reduce((n, g) => n + g.ac.states, 0); }

  /**
   * The assignment indexes that may match the current record, ascending. The array is reused: read
   * it before the next call.
   */
  candidates(src: FrameSource): number[] {
    const out = this.out;
    out.length = 0;
    if (++this.stamp === 0x3fffffff) this.resetStamps();
    for (const r of this.always) out.push(r);
    for (const g of this.groups) {
      const f = src.frameFor(g.view);
      const l = f.lower(g.slot);
      if (l !== undefined) { this.scan(g, l); continue; }
      const v = f.get(g.slot);
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) { for (const x of v) { const s = text(x); if (s !== null) this.scan(g, s.toLowerCase()); } } else { const s = text(v); if (s !== null) this.scan(g, s.toLowerCase()); }
    }
    if (out.length > 1) out.sort((a, b) => a - b);
    return out;
  }

  private resetStamps(): void {
    this.stamp = 1;
    this.litStamp.fill(0); this.clauseStamp.fill(0); this.ruleStamp.fill(0);
  }

  private scan(g: ScanGroup, s: string): void {
    const { table, width, alpha, outStart, outIds } = g.ac;
    const last = s.length - 1;
    let st = 0;
    for (let i = 0; i <= last; i++) {
      const c = s.charCodeAt(i);
      const a = c < 128 ? alpha[c] : 1;
      st = a === 0 ? 0 : table[st * width + a];
      for (let k = outStart[st], e = outStart[st + 1]; k < e; k++) {
        const p = outIds[k], kind = g.kind[p];
        if (kind !== LitKind.Contains) {
          if ((kind === LitKind.Starts || kind === LitKind.Whole) && i + 1 !== g.len[p]) continue;
          if ((kind === LitKind.Ends || kind === LitKind.Whole) && i !== last) continue;
        }
        this.hit(g.lit[p]);
      }
    }
  }

  private hit(l: number): void {
    const stamp = this.stamp;
    if (this.litStamp[l] === stamp) return;
    this.litStamp[l] = stamp;
    for (let k = this.litClauseStart[l], e = this.litClauseStart[l + 1]; k < e; k++) {
      const c = this.litClauses[k];
      if (this.clauseStamp[c] === stamp) continue;
      this.clauseStamp[c] = stamp;
      const r = this.clauseRule[c];
      if (this.ruleStamp[r] !== stamp) { this.ruleStamp[r] = stamp; this.ruleCount[r] = 0; }
      if (++this.ruleCount[r] === this.need[r]) this.out.push(r);
    }
  }
}
