/** pipeline: the composition root the faces call. */
export { hunt, type HuntOptions, type HuntSummary, type Progress, type FileStat, type RulesOption } from './hunt.js';
export { listEvents } from './events.js';
export { toAlert } from './alerts.js';
export { ReorderBuffer } from './reorder.js';
export { defaultDetectors } from './detectors.js';
export { loadPlaceholders, setupSigma, sigmaAlert, keep as keepSigmaMatch, rawOf, type SigmaSetup, type SigmaFilter } from './sigma.js';
export { learnBaseline, showBaseline, baselineDiff, type LearnOptions } from './baseline.js';
export { loadKnownGood, type KnownGoodOptions } from './knowngood.js';
export { formatSuppressionReport } from '../detect/baseline/index.js';
