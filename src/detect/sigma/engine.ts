/** The engine: routes each record, narrows rules with the literal index, evaluates, feeds correlations. */
import { diag, type Diagnostic, type RawRecord } from '../../core/index.js';
import { Correlator } from './correlation/index.js';
import { MAX_GROUPS } from './correlation/state.js';
import { BudgetExceeded } from './regex/vm.js';
import type { FrameSource } from './runtime/candidates.js';
import { buildBucket, type Bucket, type RuntimeRule } from './runtime/bucket.js';
import { condPred, searchFields, type BuildCtx } from './runtime/evaluate.js';
import { ExactTests } from './runtime/exact.js';
import { FieldSpace, Frame } from './runtime/frame.js';
import { loadPipelines, type Pipelines } from './runtime/pipeline.js';
import { requirement } from './runtime/require.js';
import { Router, type Routed } from './runtime/router.js';
import type { View } from './runtime/pipeline.js';
import type { CompiledCorrelation, CompiledFilter, CompiledItem, CompiledRule, SigmaMatch } from './types.js';

export interface EngineOptions {
  pipelines?: Pipelines;
  /** false disables the literal candidate index (the reference path keeps routing) */
  useIndex?: boolean;
  /** false: do not remember the literals found per field value (default true; bounded per field) */
  memo?: boolean;
}

export interface SigmaEngine {
  match(rec: RawRecord): SigmaMatch[];
  /** end of input: correlation windows whose condition has an upper bound are decided here */
  flush(): SigmaMatch[];
  /** problems found while evaluating (SW4003 budget), each rule reported once; drains */
  diagnostics(): Diagnostic[];
  /**
   * Forgets what earlier input left behind (open correlation windows, rules already reported), as a
   * fresh engine would, but keeps the compiled rules and caches: a new, independent input follows.
   */
  reset(): void;
  /** The state earlier input left (open correlation windows, rules already reported), as plain data. */
  snapshot(): unknown;
  /** Continues from a snapshot() of an engine over the same rules (windows of rules no longer loaded are dropped). */
  restore(state: unknown): void;
}

function buildRules(items: CompiledItem[], space: FieldSpace, exact: ExactTests | undefined): RuntimeRule[] {
  const rules = items.filter((i): i is CompiledRule => i.kind === 'rule');
  const filters = items.filter((i): i is CompiledFilter => i.kind === 'filter');
  return rules.map((rule) => {
    const keys = [rule.id, ...(rule.name ? [rule.name] : [])];
    const ctx: BuildCtx = { space, exact, used: [] };
    const fs = filters.filter((f) => f.rules.some((r) => keys.includes(r))).map((f) => condPred(f.condition, f.searches, ctx));
    const pred = condPred(rule.condition, rule.searches, ctx);
    const evidence = searchFields(rule.searches);
    const info: SigmaMatch['rule'] = { id: rule.id, title: rule.title, level: rule.level, status: rule.status, tags: rule.tags, techniques: rule.techniques, kind: 'rule' };
    return { rule, info, pred, filters: fs, keys, evidence, evidenceSlots: evidence.map((f) => space.slot(f)), req: requirement(rule.condition, rule.searches), exact: ctx.used ?? [], listened: false, hidden: false };
  });
}

/** The answer for a record nothing matched (shared, frozen). */
const NO_MATCHES: SigmaMatch[] = Object.freeze([]) as unknown as SigmaMatch[];

class Engine implements SigmaEngine, FrameSource {
  private readonly space = new FieldSpace();
  private readonly p: Pipelines;
  private readonly router: Router;
  private readonly rules: RuntimeRule[];
  /** field tests the candidate index decides (fast path only) */
  private readonly exact: ExactTests | undefined;
  private readonly buckets = new Map<string, Bucket>();
  /** one frame per view (by view id), so field values and their folded text are computed once per record */
  private readonly frames: (Frame | undefined)[] = [];
  private recNo = 0;
  private readonly correlator: Correlator;
  private readonly diags: Diagnostic[] = [];
  private readonly reported = new Set<string>();
  private rec!: RawRecord;

  constructor(items: CompiledItem[], private readonly opts: EngineOptions) {
    this.p = opts.pipelines ?? loadPipelines();
    this.router = new Router(this.p);
    this.exact = opts.useIndex !== false ? new ExactTests() : undefined;
    this.rules = buildRules(items, this.space, this.exact);
    const byKey = new Map<string, string[]>();
    for (const it of items) if (it.kind !== 'filter') { const k = [it.id, ...(it.name ? [it.name] : [])]; k.forEach((x) => byKey.set(x, k)); }
    this.correlator = new Correlator(items.filter((i): i is CompiledCorrelation => i.kind === 'correlation'), (r) => byKey.get(r) ?? [r]);
    for (const rr of this.rules) { rr.listened = this.correlator.listens(rr.keys); rr.hidden = rr.keys.some((k) => this.correlator.hidden.has(k)); }
  }

  private lastRouted: Routed | null = null;
  private lastBucket: Bucket | null = null;

  private bucket(rec: RawRecord): Bucket {
    const routed = this.router.route(rec);
    if (routed === this.lastRouted) return this.lastBucket as Bucket;
    let b = this.buckets.get(routed.key);
    if (!b) { b = buildBucket(this.rules, routed.views, this.space, this.exact, this.opts.memo !== false); this.buckets.set(routed.key, b); }
    this.lastRouted = routed;
    this.lastBucket = b;
    return b;
  }

  /** The frame through which `view` sees the current record (reset once per record). */
  frameFor(view: View): Frame {
    const rec = this.rec;
    let f = this.frames[view.id];
    if (!f) { f = new Frame(this.p, this.space); this.frames[view.id] = f; }
    if (f.recNo !== this.recNo) { f.reset(rec, view); f.recNo = this.recNo; }
    return f;
  }

  match(rec: RawRecord): SigmaMatch[] {
    const b = this.bucket(rec);
    if (!b.assignments.length) return NO_MATCHES;
    let out = NO_MATCHES;
    this.recNo++;
    this.rec = rec;
    if (this.exact) this.exact.current = b.index;
    const idx = b.index;
    const count = idx ? idx.candidates(this) : b.every.length;
    const cands = idx ? idx.out : b.every;
    for (let k = 0; k < count; k++) {
      const a = b.assignments[cands[k]];
      const f = this.frameFor(a.view);
      if (this.evaluate(a.rr, f)) { if (out === NO_MATCHES) out = []; this.emit(a.rr, rec, out, f); }
    }
    return out;
  }

  private evaluate(rr: RuntimeRule, frame: Frame): boolean {
    try {
      if (!rr.pred(frame)) return false;
      const fs = rr.filters;
      for (let i = 0; i < fs.length; i++) if (fs[i](frame)) return false;
      return true;
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      if (!this.reported.has(rr.rule.id)) {
        this.reported.add(rr.rule.id);
        this.diags.push(diag('SW4003', `${e.message}; rule treated as not matching on this record`, { file: rr.rule.source.file, line: rr.rule.source.line, column: rr.rule.source.column }, rr.rule.id));
      }
      return false;
    }
  }

  private emit(rr: RuntimeRule, rec: RawRecord, out: SigmaMatch[], frame: Frame): void {
    const t = rec.system.timeMs ?? 0;
    if (rr.listened) out.push(...this.correlator.feed(rr.keys, t, (f) => frame.field(f)).filter((m) => !this.correlator.hidden.has(m.rule.id)));
    if (rr.hidden) return;
    const fields: Record<string, unknown> = {};
    const names = rr.evidence, slots = rr.evidenceSlots;
    for (let i = 0; i < names.length; i++) { const v = frame.get(slots[i]); if (v !== undefined) fields[names[i]] = v; }
    // the rule part is shared by every match of the rule (read-only)
    out.push({ rule: rr.info, fields, timeMs: rec.system.timeMs });
  }

  flush(): SigmaMatch[] { return this.correlator.flush().filter((m) => !this.correlator.hidden.has(m.rule.id)); }

  diagnostics(): Diagnostic[] {
    for (const e of this.correlator.evictions()) this.diags.push(diag('SW4009', `${e.evicted} open window(s) of correlation "${e.title}" dropped: more than ${MAX_GROUPS} groups open at once`, undefined, e.id));
    return this.diags.splice(0);
  }

  reset(): void {
    this.correlator.reset();
    this.reported.clear();
    this.diags.length = 0;
  }

  snapshot(): unknown {
    return { correlations: this.correlator.snapshot(), reported: [...this.reported] };
  }

  restore(state: unknown): void {
    const s = (state ?? {}) as { correlations?: Record<string, unknown>; reported?: string[] };
    this.reset();
    if (s.correlations) this.correlator.restore(s.correlations);
    for (const r of s.reported ?? []) this.reported.add(r);
  }
}

/** Builds an engine from compiled rules (plain data from loadRules or a cache). */
export function createEngine(items: CompiledItem[], options: EngineOptions = {}): SigmaEngine {
  return new Engine(items, options);
}
