/**
 * The plain reference evaluator: every rule against every record, views found by a linear scan, no
 * caches and no literal index. The differential test holds the fast engine to its answers.
 */
import type { RawRecord } from '../../core/index.js';
import { viewFor } from './runtime/bucket.js';
import { condPred, type Pred } from './runtime/evaluate.js';
import { FieldSpace, Frame } from './runtime/frame.js';
import { loadPipelines, type Pipelines } from './runtime/pipeline.js';
import { Router } from './runtime/router.js';
import type { CompiledFilter, CompiledItem, CompiledRule } from './types.js';

/** Returns a function giving the ids of the rules that match a record, in load order. */
export function referenceMatcher(items: CompiledItem[], p: Pipelines = loadPipelines()): (rec: RawRecord) => string[] {
  const space = new FieldSpace();
  const router = new Router(p);
  const filters = items.filter((i): i is CompiledFilter => i.kind === 'filter');
  const rules = items.filter((i): i is CompiledRule => i.kind === 'rule').map((rule) => ({
    rule,
    pred: condPred(rule.condition, rule.searches, { space }),
    filters: filters.filter((f) => f.rules.includes(rule.id) || (!!rule.name && f.rules.includes(rule.name))).map((f): Pred => condPred(f.condition, f.searches, { space })),
  }));
  return (rec) => {
    const views = router.routeUncached(rec);
    const out: string[] = [];
    for (const r of rules) {
      const v = viewFor(r.rule, views);
      if (!v) continue;
      const frame = new Frame(p, space);
      frame.reset(rec, v);
      if (r.pred(frame) && !r.filters.some((f) => f(frame))) out.push(r.rule.id);
    }
    return out;
  };
}
