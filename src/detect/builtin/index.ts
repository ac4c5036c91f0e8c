/**
 * The six playbook alerts as built-in detectors. `builtinDetectors` applies the shipped allowlist
 * (rules/allowlist/*.yaml); createBuiltinDetectors() takes another one (tests, custom packs).
 */
import type { Detector, DetectorInfo, Diagnostic } from '../../core/index.js';
import { loadAllowlist, type AllowEntry } from './allowlist.js';
import * as chained from './chained-commands.js';
import * as encoded from './encoded-obfuscated-cli.js';
import * as service from './interactive-shell-from-service.js';
import { defineDetector, type DetectFn } from './lib/define.js';
import * as scheduled from './shell-via-scheduled-task-or-service.js';
import * as reverse from './shell-over-reverse-connection.js';
import * as unusual from './unusual-shell-execution.js';

export { allowlistContext, defaultAllowlistDir, loadAllowlist, matchAllowlist, type AllowEntry, type Allowlist } from './allowlist.js';

/** Each module's logic: `create()` where it keeps state (one instance per hunt), `detect` otherwise. */
const MODULES: { info: DetectorInfo; detect: DetectFn; create?: () => DetectFn }[] = [unusual, service, encoded, reverse, chained, scheduled];

const shipped = loadAllowlist();
/** Problems found while loading the shipped allowlist (SW4004); empty when it is valid. */
export const shippedAllowlistDiagnostics: readonly Diagnostic[] = shipped.diagnostics;
/** The shipped allowlist entries. */
export const shippedAllowlist: readonly AllowEntry[] = shipped.entries;

/** The six detectors, in playbook order, suppressing events the given allowlist covers. */
export function createBuiltinDetectors(allow: readonly AllowEntry[] = shipped.entries): Detector[] {
  return MODULES.map((m) => defineDetector(m.info, m.create ? m.create() : m.detect, allow));
}

/** The six playbook detectors with the shipped allowlist. */
export const builtinDetectors: readonly Detector[] = createBuiltinDetectors();
