/**
 * What a rule needs before it can match, for the candidate index: a conjunction of clauses, each a
 * disjunction of case-folded literals that must occur in a named field (anywhere, at its start, at its
 * end, or as the whole value). Derived from the plain condition and searches at engine start; it only
 * ever over-approximates (a rule whose requirement fails cannot match; the reverse need not hold).
 */
import { regexLiteral, regexLiterals } from '../regex/literal.js';
import type { Cond, FieldTest, GlobPart, Search, ValueTest } from '../types.js';

/** Where a literal must occur in the folded field text. */
export const LitKind = { Contains: 0, Starts: 1, Ends: 2, Whole: 3 } as const;
export type LitKind = (typeof LitKind)[keyof typeof LitKind];

/** The pseudo field of keyword searches: every leaf value of the record. */
export const KEYWORDS = '\u0000keywords';

/** A literal the field `field` must contain (folded `text`, positioned by `kind`). */
export interface FieldLit { field: string; kind: LitKind; text: string }

/** Alternatives: at least one must be present. An empty clause can never be satisfied. */
export type Clause = FieldLit[];
/** Every clause must be satisfied; an empty list means "no requirement". */
export type Requirement = Clause[];

/** Largest clause count a disjunction may expand to (beyond it clauses are dropped: still sound). */
const MAX_PRODUCT = 64;
/** Most alternatives a one-char class run may expand to (windash: 5 per dash). */
const MAX_EXPAND = 25;

type Run = { parts: (string | string[])[]; start: boolean; end: boolean };

/** Splits glob parts at `*`/`?` into runs of literals and one-char classes, noting anchoring. */
function runs(parts: GlobPart[]): Run[] {
  const out: Run[] = [];
  let cur: Run = { parts: [], start: true, end: false };
  for (const p of parts) {
    if (typeof p === 'string') cur.parts.push(p.toLowerCase());
    else if (p.w === 'c') cur.parts.push([...p.chars]);
    else { out.push(cur); cur = { parts: [], start: false, end: false }; }
  }
  cur.end = true;
  out.push(cur);
  return out.filter((r) => r.parts.length > 0);
}

/** The alternatives of a run (class characters expanded), or null when there are too many. */
function expand(r: Run): string[] | null {
  let alts = [''];
  for (const p of r.parts) {
    if (typeof p === 'string') alts = alts.map((a) => a + p);
    else { if (alts.length * p.length > MAX_EXPAND) return null; alts = alts.flatMap((a) => p.map((c) => a + c)); }
  }
  return alts;
}

const kindOf = (start: boolean, end: boolean): LitKind => (start && end ? LitKind.Whole : start ? LitKind.Starts : end ? LitKind.Ends : LitKind.Contains);

/** Selectivity of alternatives: longer is better, anchoring helps, many alternatives cost a little. */
function score(alts: string[], kind: LitKind): number {
  let min = Infinity;
  for (const a of alts) min = Math.min(min, a.length);
  return min + (kind === LitKind.Whole ? 4 : kind === LitKind.Contains ? 0 : 2) - alts.length * 0.01;
}

function globLits(field: string, parts: GlobPart[]): FieldLit[] | null {
  let best: FieldLit[] | null = null, bestScore = -Infinity;
  const consider = (alts: string[], kind: LitKind): void => {
    if (alts.some((a) => a.length === 0)) return;
    const s = score(alts, kind);
    if (s > bestScore) { bestScore = s; best = alts.map((text) => ({ field, kind, text })); }
  };
  for (const r of runs(parts)) {
    const alts = expand(r);
    if (alts) { consider(alts, kindOf(r.start, r.end)); continue; }
    // too many alternatives: the literal pieces alone, unanchored unless at the run's edge
    r.parts.forEach((p, i) => { if (typeof p === 'string') consider([p], kindOf(r.start && i === 0, r.end && i === r.parts.length - 1)); });
  }
  return best;
}

/** Alternatives one value test needs in `field`, or null when it needs nothing indexable. */
function valueLits(field: string, v: ValueTest): FieldLit[] | null {
  if (v.t === 're') { const l = regexLiteral(v.pattern, v.flags); return l ? [{ field, kind: LitKind.Contains, text: l }] : null; }
  // cased globs compare unfolded text; folding both sides is not always length-preserving: not indexed
  if (v.t === 'glob' && !v.cased) return globLits(field, v.parts);
  return null;
}

const litKey = (l: FieldLit): string => `${l.field}\u0001${l.kind}\u0001${l.text}`;

function dedupe(c: Clause): Clause {
  const seen = new Set<string>();
  return c.filter((l) => { const k = litKey(l); if (seen.has(k)) return false; seen.add(k); return true; });
}

function fieldReq(t: FieldTest): Requirement {
  const field = t.field ?? KEYWORDS;
  const lits = t.values.map((v) => valueLits(field, v));
  if (t.all) return lits.filter((l): l is FieldLit[] => l !== null);
  if (lits.some((l) => l === null)) return [];
  return [dedupe((lits as FieldLit[][]).flat())];
}

const clauseScore = (c: Clause): number => (c.length === 0 ? Infinity : Math.min(...c.map((l) => score([l.text], l.kind))) - c.length * 0.05);

/** The most selective clauses first (used when a disjunction must be cut down). */
function strongest(r: Requirement, n: number): Requirement {
  return r.length <= n ? r : [...r].sort((a, b) => clauseScore(b) - clauseScore(a)).slice(0, n);
}

/** (A1 ∧ A2 …) ∨ (B1 ∧ …) ⇒ ∧ over every pick (Ai ∨ Bj …): the distributive law, bounded. */
function disjunction(reqs: Requirement[]): Requirement {
  if (reqs.some((r) => r.length === 0)) return [];
  let per = Math.max(...reqs.map((r) => r.length));
  while (per > 1 && reqs.reduce((n, r) => n * Math.min(r.length, per), 1) > MAX_PRODUCT) per--;
  let out: Requirement = [[]];
  for (const r of reqs) {
    const cut = strongest(r, per);
    out = out.flatMap((c) => cut.map((d) => dedupe([...c, ...d])));
  }
  return out;
}

function searchReq(s: Search): Requirement {
  if (s.t === 'field') return fieldReq(s.test);
  const parts = s.items.map(searchReq);
  return s.t === 'and' ? parts.flat() : disjunction(parts);
}

function condReq(c: Cond, searches: Record<string, Search>): Requirement {
  switch (c.t) {
    case 'ref': return searchReq(searches[c.name]);
    case 'and': return c.items.flatMap((i) => condReq(i, searches));
    case 'or': return disjunction(c.items.map((i) => condReq(i, searches)));
    case 'false': return [[]];
    default: return []; // not, true: nothing required
  }
}

/** The requirement of a rule's condition (clauses deduplicated; an empty clause means it never matches). */
export function requirement(condition: Cond, searches: Record<string, Search>): Requirement {
  const seen = new Set<string>();
  return condReq(condition, searches).filter((c) => {
    const k = c.map(litKey).sort().join('\u0002');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Per value, the literal alternatives that decide a field test exactly: the test holds on a record iff
 * (one of / all of) its values has an alternative present. Null when some value is not a plain folded
 * literal (possibly `*`-wrapped, possibly with one-char classes). Keyword searches use KEYWORDS.
 */
export function exactLits(t: FieldTest): FieldLit[][] | null {
  const field = t.field ?? KEYWORDS;
  const out: FieldLit[][] = [];
  for (const v of t.values) {
    if (v.t !== 'glob' || v.cased || v.parts.some((p) => typeof p !== 'string' && p.w === '?')) return null;
    const rs = runs(v.parts);
    if (rs.length !== 1) return null;
    const alts = expand(rs[0]);
    if (!alts || alts.some((a) => a.length === 0)) return null;
    const kind = kindOf(rs[0].start, rs[0].end);
    out.push(alts.map((text) => ({ field, kind, text })));
  }
  return out;
}

/**
 * What a case-folded glob value needs in `field`: per run of literal text between wildcards, its
 * alternatives (anchored at the start or end when the run is), or null when it needs nothing
 * indexable. Runs with too many alternatives are left out (the condition stays necessary).
 */
export function globRuns(field: string, v: ValueTest): FieldLit[][] | null {
  if (v.t !== 'glob' || v.cased) return null;
  const out: FieldLit[][] = [];
  for (const r of runs(v.parts)) {
    const alts = expand(r);
    if (!alts || alts.some((a) => a.length === 0)) continue;
    const kind = kindOf(r.start, r.end);
    out.push(alts.map((text) => ({ field, kind, text })));
  }
  return out.length ? out : null;
}

/**
 * What a regex value needs in `field`: each literal every match contains (found in the folded text, as
 * the regex's own prefilter looks for its longest), or null when it has none.
 */
export function regexRuns(field: string, v: ValueTest): FieldLit[][] | null {
  if (v.t !== 're') return null;
  // a case-insensitive `i` matches İ, which folds to "i" + U+0307: a literal with a unit after an `i`
  // may be missing from the folded text of a match; the longest literal is the regex's own prefilter
  // already, so only the others are left out then
  const longest = regexLiteral(v.pattern, v.flags);
  const lits = regexLiterals(v.pattern, v.flags).filter((l) => l === longest || !/i[^]/.test(l));
  return lits.length ? lits.map((text) => [{ field, kind: LitKind.Contains, text }]) : null;
}
