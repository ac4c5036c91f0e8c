/**
 * Baselines (docs/baseline.md): what is normal per host, host group and user group, learned from
 * process starts and persisted in one file; the rare-shell-usage detector; known-good accounting.
 */
export { Baseline, diffBaselines, mergeBaselines, type BaselineDiff, type BaselineStats, type EntryChange } from './baseline.js';
export { createBaselineDetector, RARE_SHELL_USAGE, type BaselineDetectorOptions } from './detector.js';
export { factsOf, isShellUsage, isShellUsageEvent, scopesOf, subjectOf, type Fact, type FactKind, type Subject } from './facts.js';
export { DEFAULT_HOST_GROUP, Groups, loadGroups, parseGroups, type GroupsConfig, type GroupsLoad } from './groups.js';
export type { FactJudgement, Judgement, JudgementDetail } from './judge.js';
export { knownGoodContext, type KnownGoodContext } from './knowngood.js';
export { formatSuppressionReport, mergeSuppressionReports, type SuppressionReport } from './suppressions.js';
export { argumentsOf, commandTemplate, maskCommand, type MaskOptions } from './mask.js';
export { DAY_MS, DEFAULT_PARAMS, type BaselineEntry, type BaselineOptions, type BaselineParams } from './model.js';
export { describeBaseline, formatDiff, printable } from './report.js';
export { STORE_FORMAT, STORE_VERSION } from './store.js';
