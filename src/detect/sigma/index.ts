/**
 * The Sigma engine. `loadRules(paths)` reads, collects and compiles rules into plain data (never throws;
 * problems are diagnostics and listing reasons); `createEngine(rules)` builds matchers from them.
 */
export { loadRules, routable } from './load.js';
export { createEngine, type EngineOptions, type SigmaEngine } from './engine.js';
export { referenceMatcher } from './reference.js';
export { loadPipelines, type Pipelines } from './runtime/pipeline.js';
export type {
  CompiledCorrelation, CompiledFilter, CompiledItem, CompiledRule, LoadOptions, LoadResult, Logsource, RuleListing, SigmaMatch,
} from './types.js';
