/** Routes rule and correlation matches into correlation windows, following chains of correlations. */
import type { CompiledCorrelation, SigmaMatch } from '../types.js';
import { CorrelationState, fieldsFor } from './state.js';

export { compileCorrelation, parseTimespan } from './compile.js';

interface Sub { state: CorrelationState; ref: number }

export class Correlator {
  /** rule id or name → the correlations that reference it */
  private readonly subs = new Map<string, Sub[]>();
  /** ids/names whose own matches are not reported (referenced without `generate: true`) */
  readonly hidden = new Set<string>();
  private readonly states: CorrelationState[] = [];

  constructor(correlations: CompiledCorrelation[], keysOf: (ref: string) => string[]) {
    for (const c of correlations) {
      const refKeys = c.rules.map(keysOf);
      const st = new CorrelationState(c, refKeys);
      this.states.push(st);
      c.rules.forEach((r, i) => {
        const sub: Sub = { state: st, ref: i };
        for (const k of refKeys[i]) { const l = this.subs.get(k) ?? []; l.push(sub); this.subs.set(k, l); }
        if (!c.generate) refKeys[i].forEach((k) => this.hidden.add(k));
      });
    }
  }

  /** True when some correlation listens to this rule. */
  listens(keys: string[]): boolean { return keys.some((k) => this.subs.has(k)); }

  /** Base fields a rule must hand over for the correlations that reference it. */
  fields(keys: string[]): string[] {
    const out = new Set<string>();
    for (const k of keys) for (const s of this.subs.get(k) ?? []) fieldsFor(s.state.c, [k]).forEach((f) => out.add(f));
    return [...out];
  }

  /** Feeds one match; returns every correlation match it completes, chains included. */
  feed(keys: string[], t: number, get: (f: string) => unknown): SigmaMatch[] {
    const out: SigmaMatch[] = [];
    const seen = new Set<Sub>();
    for (const k of keys) for (const s of this.subs.get(k) ?? []) {
      if (seen.has(s)) continue;
      seen.add(s);
      const m = s.state.feed(s.ref, t, get);
      if (m) out.push(m, ...this.chain(s.state.c, m, t));
    }
    return out;
  }

  private chain(c: CompiledCorrelation, m: SigmaMatch, t: number): SigmaMatch[] {
    const keys = [c.id, ...(c.name ? [c.name] : [])];
    return this.feed(keys, t, (f) => m.group?.[f]);
  }

  /** Correlations that dropped windows under their budget since the last call, with how many (drains). */
  evictions(): { id: string; title: string; evicted: number }[] {
    const out: { id: string; title: string; evicted: number }[] = [];
    for (const s of this.states) if (s.evicted) { out.push({ id: s.c.id, title: s.c.title, evicted: s.evicted }); s.evicted = 0; }
    return out;
  }

  /** Closes every window without deciding it (a new, independent input follows). */
  reset(): void {
    for (const s of this.states) s.reset();
  }

  /** Every correlation's open windows, by correlation id (plain data). */
  snapshot(): Record<string, unknown> {
    return Object.fromEntries(this.states.map((s) => [s.c.id, s.snapshot()]));
  }

  /** Puts back the windows of the correlations that still exist (a rule set may have changed). */
  restore(data: Record<string, unknown>): void {
    for (const s of this.states) {
      const g = data[s.c.id];
      if (Array.isArray(g)) s.restore(g as Parameters<typeof s.restore>[0]);
    }
  }

  flush(): SigmaMatch[] {
    const out: SigmaMatch[] = [];
    for (const s of this.states) for (const m of s.flush()) {
      out.push(m);
      const keys = [s.c.id, ...(s.c.name ? [s.c.name] : [])];
      out.push(...this.feed(keys, m.timeMs ?? 0, (f) => m.group?.[f]));
    }
    return out;
  }
}
