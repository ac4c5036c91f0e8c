/** Which detectors a hunt runs: the built-in playbook alerts (Sigma rule packs are added by the faces). */
import type { Detector } from '../core/index.js';
import { createBuiltinDetectors } from '../detect/builtin/index.js';

/**
 * The six playbook detectors, in their documented order; fresh instances (some keep per-hunt state).
 * Built without the shipped allowlist: the hunt applies it through its known-good context, which counts
 * every suppression (pipeline/knowngood.ts).
 */
export function defaultDetectors(): Detector[] {
  const list = createBuiltinDetectors([]);
  for (const d of list) Object.defineProperty(d, BUILTIN, { value: true });
  return list;
}

/**
 * Marks the instances defaultDetectors() made, so a parallel hunt can tell a caller's built-in detectors
 * (sent to workers by id: a job is data) from detectors of its own (objects: run here). A registered
 * symbol, so hunt.ts can test it without loading the detectors.
 */
export const BUILTIN = Symbol.for('shellwatch.builtin-detector');

/** The built-in detectors with these ids, fresh, in their documented order. */
export function builtinDetectors(ids: readonly string[] | 'builtin'): Detector[] {
  return ids === 'builtin' ? defaultDetectors() : defaultDetectors().filter((d) => ids.includes(d.id));
}
