/** Which detectors a hunt runs: the built-in playbook alerts (Sigma rule packs are added by the faces). */
import type { Detector } from '../core/index.js';
import { builtinDetectors } from '../detect/builtin/index.js';

/** The six playbook detectors, in their documented order. */
export function defaultDetectors(): Detector[] {
  return [...builtinDetectors];
}
