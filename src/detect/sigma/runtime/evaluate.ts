/** Builds rule predicates from compiled (plain data) conditions and searches. */
import type { Cond, FieldTest, Search, ValueTest } from '../types.js';
import type { ExactTests } from './exact.js';
import type { FieldSpace, Frame } from './frame.js';
import { exactLits, globRuns, regexRuns } from './require.js';
import { needsLower, valuePred, type ValuePred } from './values.js';

export type Pred = (f: Frame) => boolean;

/**
 * What predicates are built with: the engine's field slots and, on the fast path, the registry of
 * exact tests (decided by the candidate index) with the list of ids the predicates being built read.
 */
export interface BuildCtx { space: FieldSpace; exact?: ExactTests; used?: number[] }

function fieldTest(t: FieldTest, ctx: BuildCtx): Pred {
  const ex = ctx.exact;
  const id = ex ? ex.register(t) : null;
  if (ex && id !== null) { ctx.used?.push(id); return () => ex.holds(id); }
  const space = ctx.space;
  const preds: ValuePred[] = t.values.map((v) => prefiltered(v, valuePred(v, space), t.field, ctx));
  if (t.field === null) {
    const one = (p: ValuePred, f: Frame): boolean => { const vs = f.keywords(); for (let i = 0; i < vs.length; i++) if (p(vs[i], f)) return true; return false; };
    return t.all ? (f) => { for (const p of preds) if (!one(p, f)) return false; return true; } : (f) => { for (const p of preds) if (one(p, f)) return true; return false; };
  }
  const slot = space.slot(t.field);
  // the folded text is made (once per record, in the frame) only for tests that read it
  const fold = t.values.some(needsLower);
  if (preds.length === 1) { const p = preds[0]; return fold ? (f) => p(f.get(slot), f, f.lower(slot)) : (f) => p(f.get(slot), f, undefined); }
  if (t.all) return (f) => { const v = f.get(slot), l = fold ? f.lower(slot) : undefined; for (let i = 0; i < preds.length; i++) if (!preds[i](v, f, l)) return false; return true; };
  const absentOk = t.values.some((x) => x.t === 'null' || x.t === 'exists');
  return (f) => { const v = f.get(slot); if (v === undefined && !absentOk) return false; const l = fold ? f.lower(slot) : undefined; for (let i = 0; i < preds.length; i++) if (preds[i](v, f, l)) return true; return false; };
}

/**
 * On the fast path, a glob value with several runs (`*a*b*`, `a?b`) first asks the index whether every
 * run was found in the field, and a regex whether every literal its matches contain was (`\s-\s*<`
 * needs `-` and `<`, its own prefilter only the first): most records fail there without running the
 * matcher.
 */
function prefiltered(v: ValueTest, p: ValuePred, field: string | null, ctx: BuildCtx): ValuePred {
  const ex = ctx.exact;
  if (!ex || field === null) return p;
  const runs = v.t === 're' ? regexRuns(field, v) : globRuns(field, v);
  if (!runs) return p;
  const id = ex.registerAll(runs);
  ctx.used?.push(id);
  return (x, c, lower) => ex.holds(id) && p(x, c, lower);
}

/** Conjunction and disjunction of predicates without a closure per call; small arities unrolled. */
function allOf(ps: Pred[]): Pred {
  if (ps.length === 1) return ps[0];
  if (ps.length === 2) { const [a, b] = ps; return (f) => a(f) && b(f); }
  if (ps.length === 3) { const [a, b, c] = ps; return (f) => a(f) && b(f) && c(f); }
  return (f) => { for (let i = 0; i < ps.length; i++) if (!ps[i](f)) return false; return true; };
}

function anyOf(ps: Pred[]): Pred {
  if (ps.length === 1) return ps[0];
  if (ps.length === 2) { const [a, b] = ps; return (f) => a(f) || b(f); }
  if (ps.length === 3) { const [a, b, c] = ps; return (f) => a(f) || b(f) || c(f); }
  return (f) => { for (let i = 0; i < ps.length; i++) if (ps[i](f)) return true; return false; };
}

/** Rough evaluation cost, so AND tries cheap tests (globs) before regexes and keyword scans. */
export function searchCost(s: Search): number {
  if (s.t !== 'field') return s.items.reduce((n, i) => n + searchCost(i), 0);
  if (exactLits(s.test)) return 0;
  return s.test.values.reduce((n, v) => n + (v.t === 're' ? 50 : 1), 0) * (s.test.field === null ? 20 : 1);
}

const byCost = (items: Search[]): Search[] => items.map((s, i) => ({ s, i, c: searchCost(s) })).sort((a, b) => a.c - b.c || a.i - b.i).map((x) => x.s);

/** A predicate for one search identifier. */
export function searchPred(s: Search, ctx: BuildCtx): Pred {
  if (s.t === 'field') return fieldTest(s.test, ctx);
  const items = (s.t === 'and' ? byCost(s.items) : s.items).map((i) => searchPred(i, ctx));
  return s.t === 'and' ? allOf(items) : anyOf(items);
}

/** A predicate for the condition; each search is built once even when referenced twice. */
export function condPred(c: Cond, searches: Record<string, Search>, ctx: BuildCtx, built = new Map<string, Pred>()): Pred {
  switch (c.t) {
    case 'ref': {
      let p = built.get(c.name);
      if (!p) { p = searchPred(searches[c.name], ctx); built.set(c.name, p); }
      return p;
    }
    case 'and': {
      const cost = (x: Cond): number => (x.t === 'ref' ? searchCost(searches[x.name]) : x.t === 'not' ? cost(x.item) : 'items' in x ? x.items.reduce((n, i) => n + cost(i), 0) : 0);
      const ordered = c.items.map((x, i) => ({ x, i, c: cost(x) })).sort((a, b) => a.c - b.c || a.i - b.i).map((o) => o.x);
      return allOf(ordered.map((i) => condPred(i, searches, ctx, built)));
    }
    case 'or': return anyOf(c.items.map((i) => condPred(i, searches, ctx, built)));
    case 'not': { const p = condPred(c.item, searches, ctx, built); return (f) => !p(f); }
    case 'true': return () => true;
    case 'false': return () => false;
  }
}

/** Fields a rule's searches name (for the evidence of a match). */
export function searchFields(searches: Record<string, Search>): string[] {
  const out = new Set<string>();
  const walk = (s: Search): void => { if (s.t === 'field') { if (s.test.field) out.add(s.test.field); } else s.items.forEach(walk); };
  Object.values(searches).forEach(walk);
  return [...out].sort();
}
