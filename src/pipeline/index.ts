/** pipeline: the composition root the faces call. */
export { hunt, type HuntOptions, type HuntSummary, type Progress, type FileStat, type RulesOption } from './hunt.js';
export { listEvents } from './events.js';
export { toAlert } from './alerts.js';
export { ReorderBuffer } from './reorder.js';
export { defaultDetectors } from './detectors.js';
export { setupSigma, sigmaAlert, keep as keepSigmaMatch, rawOf, type SigmaSetup, type SigmaFilter } from './sigma.js';
