/** What `hunt()` takes: the detectors, the rules and lists, where alerts and diagnostics go. */
import type { DetectContext, Detector, Diagnostic, Level } from '../core/index.js';
import type { KnownGoodOptions } from './knowngood.js';

/** Sigma rules as the hunt options give them (workers get them as they are). */
export interface RulesOption { paths: string[]; statuses?: string[]; placeholders?: Record<string, string[]> }

export interface Progress { files: number; records: number; events: number; alerts: number; current: string }

export interface HuntOptions {
  /** the detectors to run: 'builtin' for the playbook's (the default set, loaded where the hunt runs) */
  detectors: Detector[] | 'builtin';
  context?: DetectContext;
  minLevel?: Level;
  /** called at most every few thousand records */
  onProgress?(p: Progress): void;
  onDiagnostic?(d: Diagnostic): void;
  reorderWindowMs?: number;
  /**
   * Worker processes for plain files: 1 (default) runs everything here and streams alerts in
   * processing order; N > 1 hunts each folder on its own in one of N workers (alerts grouped by input
   * file, in input order; the same output for any N > 1), running the built-in detectors when `detectors`
   * is 'builtin' or not empty; 'auto' uses the cores when the input is large enough to pay for it.
   */
  threads?: number | 'auto';
  /**
   * With workers (threads > 1), alerts are handed over as the JSON Lines the workers wrote (each line
   * JSON.stringify of one alert, then a newline; many lines per call) instead of to `onAlert`, for
   * callers that write JSON Lines anyway: the calling process then never decodes them. Alerts of the
   * calling process itself (archives it reads) still go to `onAlert`.
   */
  onAlertLines?(lines: Buffer): void;
  /** Sigma rules to run besides the detectors: files or folders, and which rule statuses to report */
  rules?: RulesOption;
  /** site allowlists, groups and a baseline (the shipped allowlist always applies, with accounting) */
  knownGood?: KnownGoodOptions;
}
