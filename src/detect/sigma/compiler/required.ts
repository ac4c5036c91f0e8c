/**
 * Required literals for the candidate index: a set of case-folded strings of which at least one must
 * occur in some value of a record for the rule to be able to match (null: no such set is known).
 */
import { regexLiteral } from '../regex/literal.js';
import type { Cond, CompiledRule, RequiredLiterals, Search, ValueTest } from '../types.js';

type Lits = string[] | null;

function valueLit(v: ValueTest): string | null {
  if (v.t === 're') return regexLiteral(v.pattern, v.flags) || null;
  if (v.t !== 'glob') return null;
  let best = '';
  for (const p of v.parts) if (typeof p === 'string' && p.length > best.length) best = p;
  return best ? best.toLowerCase() : null;
}

const score = (l: string[]): number => (l.length === 0 ? Infinity : Math.min(...l.map((s) => s.length)) - l.length * 0.01);

function best(sets: Lits[]): Lits {
  let out: Lits = null;
  for (const s of sets) if (s && (!out || score(s) > score(out))) out = s;
  return out;
}

function union(sets: Lits[]): Lits {
  if (sets.some((s) => s === null)) return null;
  return [...new Set((sets as string[][]).flat())];
}

function fromSearch(s: Search): Lits {
  if (s.t === 'and') return best(s.items.map(fromSearch));
  if (s.t === 'or') return union(s.items.map(fromSearch));
  if (s.test.field === null) return null; // keyword searches look at every value: not indexed
  const lits = s.test.values.map((v) => { const l = valueLit(v); return l === null ? null : [l]; });
  return s.test.all ? best(lits) : union(lits);
}

function fromCond(c: Cond, searches: Record<string, Search>): Lits {
  switch (c.t) {
    case 'ref': return fromSearch(searches[c.name]);
    case 'and': return best(c.items.map((i) => fromCond(i, searches)));
    case 'or': return union(c.items.map((i) => fromCond(i, searches)));
    case 'false': return [];
    default: return null;
  }
}

/** The rule's required literals, or null when every record must be checked. */
export function requiredLiterals(rule: Pick<CompiledRule, 'condition' | 'searches'>): RequiredLiterals | null {
  const l = fromCond(rule.condition, rule.searches);
  return l ? { literals: l.sort() } : null;
}
