/** Per route key: which rules see the record through which view, and the literal candidate index. */
import type { CompiledRule } from '../types.js';
import { AhoCorasick } from './aho.js';
import type { Pred } from './evaluate.js';
import type { FieldSpace } from './frame.js';
import { logsourceMatches, type View } from './pipeline.js';

/** A rule ready to run: the compiled data plus its built predicate and filters. */
export interface RuntimeRule { rule: CompiledRule; pred: Pred; filters: Pred[]; keys: string[]; evidence: string[] }

export interface Assignment { rr: RuntimeRule; view: View }

export interface Bucket {
  assignments: Assignment[];
  /** assignment indexes checked on every record (no required literals) */
  always: number[];
  ac: AhoCorasick | null;
  /** literal id → assignment indexes */
  byLiteral: number[][];
  /** the (view, field slot) pairs whose values the index scans: every field an indexed rule names */
  scan: { view: View; slot: number }[];
}

/** The first view whose logsource covers the rule's, or null. */
export function viewFor(rule: CompiledRule, views: View[]): View | null {
  for (const v of views) if (logsourceMatches(rule.logsource, v.logsource)) return v;
  return null;
}

/** Builds the bucket for one set of views (assignments sorted by view so frames reset rarely). */
export function buildBucket(rules: RuntimeRule[], views: View[], useIndex: boolean, space: FieldSpace): Bucket {
  const assignments: Assignment[] = [];
  for (const rr of rules) { const v = viewFor(rr.rule, views); if (v) assignments.push({ rr, view: v }); }
  assignments.sort((a, b) => a.view.id - b.view.id);
  const always: number[] = [];
  const litIds = new Map<string, number>();
  const byLiteral: number[][] = [];
  assignments.forEach((a, i) => {
    const req = a.rr.rule.required;
    if (!useIndex || !req) { always.push(i); return; }
    for (const l of req.literals) {
      let id = litIds.get(l);
      if (id === undefined) { id = byLiteral.length; litIds.set(l, id); byLiteral.push([]); }
      byLiteral[id].push(i);
    }
  });
  const ac = byLiteral.length ? new AhoCorasick([...litIds.keys()]) : null;
  const seen = new Set<string>();
  const scan: Bucket['scan'] = [];
  assignments.forEach((a, i) => {
    if (always.includes(i)) return;
    for (const f of a.rr.evidence) {
      const slot = space.slot(f), k = `${a.view.id}:${slot}`;
      if (!seen.has(k)) { seen.add(k); scan.push({ view: a.view, slot }); }
    }
  });
  return { assignments, always, ac, byLiteral, scan };
}
