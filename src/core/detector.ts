/**
 * The detector contract: every built-in alert (and later Sigma and baseline detectors) implements it.
 * A detector sees one normalized event at a time, with lineage already attached, and returns findings.
 */
import type { DecodedLayer, Level } from './alert.js';
import type { ShellEvent } from './event.js';

export interface DetectorInfo {
  id: string;
  title: string;
  level: Level;
  /** MITRE ATT&CK technique ids */
  techniques: string[];
  description: string;
}

/** What a detector reports; the pipeline turns it into an Alert. */
export interface Finding {
  reason: string;
  /** overrides the detector's default level for this finding */
  level?: Level;
  evidence?: Record<string, unknown>;
  decoded?: DecodedLayer[];
}

/** Read-only context a detector may consult (allowlists, configuration). */
export interface DetectContext {
  /** true when an allowlist entry suppresses this detector for this event; counts the suppression */
  allowed(detectorId: string, ev: ShellEvent): boolean;
}

/**
 * The lifecycle: a detector is made fresh for each hunt (start), sees events (detect), and may keep
 * state between them. One that does says what it is (snapshot, plain data a structured clone can
 * copy) and takes it back (restore), so a pipeline can stop and go on elsewhere or later.
 */
export interface Detector extends DetectorInfo {
  detect(ev: ShellEvent, ctx: DetectContext): Finding[];
  snapshot?(): unknown;
  restore?(state: unknown): void;
}
