/** Per route key: which rules see the record through which view, and the literal candidate index. */
import type { ExactTests } from './exact.js';
import type { CompiledRule, SigmaMatch } from '../types.js';
import { CandidateIndex } from './candidates.js';
import type { Pred } from './evaluate.js';
import type { FieldSpace } from './frame.js';
import { logsourceMatches, type View } from './pipeline.js';
import type { Requirement } from './require.js';

/** A rule ready to run: the compiled data plus its built predicate, filters and index requirement. */
export interface RuntimeRule {
  rule: CompiledRule; pred: Pred; filters: Pred[]; keys: string[];
  /** the rule as matches show it (one object shared by all its matches) */
  info: SigmaMatch['rule'];
  /** fields shown as evidence on a match, and their slots */
  evidence: string[]; evidenceSlots: number[];
  req: Requirement; exact: number[];
  /** some correlation counts this rule's matches; its own matches are hidden (correlation with generate: false) */
  listened: boolean; hidden: boolean;
}

export interface Assignment { rr: RuntimeRule; view: View }

export interface Bucket {
  assignments: Assignment[];
  /** null when the index is disabled (no exact-test registry): every assignment is a candidate */
  index: CandidateIndex | null;
  /** every assignment index, ascending (the candidates without an index) */
  every: number[];
}

/** The first view whose logsource covers the rule's, or null. */
export function viewFor(rule: CompiledRule, views: View[]): View | null {
  for (const v of views) if (logsourceMatches(rule.logsource, v.logsource)) return v;
  return null;
}

/** Builds the bucket for one set of views (assignments in rule order). */
export function buildBucket(rules: RuntimeRule[], views: View[], space: FieldSpace, exact: ExactTests | undefined, memo = true): Bucket {
  const assignments: Assignment[] = [];
  for (const rr of rules) { const v = viewFor(rr.rule, views); if (v) assignments.push({ rr, view: v }); }
  const index = exact && assignments.length ? new CandidateIndex(assignments.map((a) => ({ req: a.rr.req, view: a.view, exact: a.rr.exact })), space, exact, memo) : null;
  return { assignments, index, every: assignments.map((_, i) => i) };
}
