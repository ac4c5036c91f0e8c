/** Which detectors a hunt runs: the built-in playbook alerts (Sigma rule packs are added by the faces). */
import type { Detector } from '../core/index.js';
import { createBuiltinDetectors } from '../detect/builtin/index.js';

/**
 * The six playbook detectors, in their documented order; fresh instances (some keep per-hunt state).
 * Built without the shipped allowlist: the hunt applies it through its known-good context, which counts
 * every suppression (pipeline/knowngood.ts).
 */
export function defaultDetectors(): Detector[] {
  return createBuiltinDetectors([]);
}
