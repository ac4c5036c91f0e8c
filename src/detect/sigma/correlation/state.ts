/** Correlation state: sliding windows per (correlation, group) fed by rule matches; chains feed upward. */
import type { CompiledCorrelation, SigmaMatch } from '../types.js';

interface Ev { t: number; ref: number; value: unknown }
type Get = (field: string) => unknown;

/** Which base fields a referenced rule must hand over: the group-by fields (after aliases) and the value field. */
export function fieldsFor(c: CompiledCorrelation, ruleKeys: string[]): string[] {
  const out = c.groupBy.map((g) => aliasField(c, g, ruleKeys));
  if (c.condition.field) out.push(c.condition.field);
  return out;
}

function aliasField(c: CompiledCorrelation, group: string, ruleKeys: string[]): string {
  const a = c.aliases[group];
  if (!a) return group;
  for (const k of ruleKeys) if (a[k]) return a[k];
  return group;
}

function cmpOk(ops: CompiledCorrelation['condition']['ops'], n: number): boolean {
  if (ops.gt !== undefined && !(n > ops.gt)) return false;
  if (ops.gte !== undefined && !(n >= ops.gte)) return false;
  if (ops.lt !== undefined && !(n < ops.lt)) return false;
  if (ops.lte !== undefined && !(n <= ops.lte)) return false;
  if (ops.eq !== undefined && n !== ops.eq) return false;
  if (ops.neq !== undefined && n === ops.neq) return false;
  return true;
}

/** Conditions with an upper bound can only be decided when the window closes (flush). */
const atClose = (c: CompiledCorrelation): boolean => c.condition.ops.lt !== undefined || c.condition.ops.lte !== undefined;

function measure(c: CompiledCorrelation, evs: Ev[], cur: Ev): number {
  switch (c.type) {
    case 'event_count': return evs.length;
    case 'value_count': return new Set(evs.map((e) => e.value).filter((v) => v !== undefined && v !== null).map(String)).size;
    case 'value_sum': return evs.reduce((s, e) => s + (Number(e.value) || 0), 0);
    case 'value_avg': return evs.length ? evs.reduce((s, e) => s + (Number(e.value) || 0), 0) / evs.length : 0;
    case 'value_percentile': return (100 * evs.filter((e) => String(e.value) === String(cur.value)).length) / evs.length;
    case 'temporal': return new Set(evs.map((e) => e.ref)).size;
    case 'temporal_ordered': {
      let k = 0;
      for (const e of evs) if (e.ref === k) k++;
      return k;
    }
  }
}

function satisfied(c: CompiledCorrelation, evs: Ev[], cur: Ev): boolean {
  const n = measure(c, evs, cur);
  const temporal = c.type === 'temporal' || c.type === 'temporal_ordered';
  if (temporal && !Object.keys(c.condition.ops).length) return n >= c.rules.length;
  return cmpOk(c.condition.ops, n);
}

/**
 * Open windows kept per correlation: a group whose events stop coming stays open until the end of input,
 * so a long-running server bounds them; past it the oldest-opened window is dropped (counted).
 */
export const MAX_GROUPS = 100_000;

/** One correlation's windows. */
export class CorrelationState {
  private readonly groups = new Map<string, { values: Record<string, unknown>; evs: Ev[] }>();
  /** windows dropped under MAX_GROUPS */
  evicted = 0;
  constructor(readonly c: CompiledCorrelation, private readonly refKeys: string[][], private readonly maxGroups = MAX_GROUPS) {}

  /** Feeds a match of referenced rule number `ref`; returns the correlation's match when it fires. */
  feed(ref: number, t: number, get: Get): SigmaMatch | null {
    const values: Record<string, unknown> = {};
    for (const g of this.c.groupBy) values[g] = get(aliasField(this.c, g, this.refKeys[ref]));
    const key = JSON.stringify(this.c.groupBy.map((g) => values[g] ?? null));
    let grp = this.groups.get(key);
    if (!grp) {
      grp = { values, evs: [] };
      this.groups.set(key, grp);
      // oldest opened first (insertion order: the same whatever the load, so output stays deterministic)
      while (this.groups.size > this.maxGroups) { this.groups.delete(this.groups.keys().next().value as string); this.evicted++; }
    }
    const cur: Ev = { t, ref, value: this.c.condition.field ? get(this.c.condition.field) : undefined };
    grp.evs.push(cur);
    grp.evs.sort((a, b) => a.t - b.t);
    const from = t - this.c.timespanMs;
    while (grp.evs.length && grp.evs[0].t < from) grp.evs.shift();
    if (atClose(this.c) || !satisfied(this.c, grp.evs, cur)) return null;
    const m = this.emit(grp.values, grp.evs);
    grp.evs = [];
    return m;
  }

  /** End of input: decides the windows whose condition has an upper bound. */
  /** Drops every open window. */
  reset(): void {
    this.groups.clear();
  }

  /** The open windows, as plain data (structured-clone safe). */
  snapshot(): [string, { values: Record<string, unknown>; evs: Ev[] }][] {
    return [...this.groups];
  }

  restore(groups: [string, { values: Record<string, unknown>; evs: Ev[] }][]): void {
    this.groups.clear();
    for (const [k, g] of groups) this.groups.set(k, g);
  }

  flush(): SigmaMatch[] {
    const out: SigmaMatch[] = [];
    if (!atClose(this.c)) return out;
    for (const grp of this.groups.values()) {
      const last = grp.evs[grp.evs.length - 1];
      if (last && satisfied(this.c, grp.evs, last)) out.push(this.emit(grp.values, grp.evs));
    }
    this.groups.clear();
    return out;
  }

  private emit(values: Record<string, unknown>, evs: Ev[]): SigmaMatch {
    const c = this.c;
    return {
      rule: { id: c.id, title: c.title, level: c.level, status: c.status, tags: c.tags, techniques: c.techniques, kind: 'correlation' },
      fields: { ...values }, group: values, count: evs.length, timeMs: evs[evs.length - 1]?.t,
    };
  }
}
