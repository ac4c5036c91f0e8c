/** What a hunt reports at the end, whichever way it ran. */
import type { SuppressionReport } from '../detect/baseline/index.js';

export interface FileStat { name: string; reader: string | null; records: number; diagnostics: number }
export interface HuntSummary {
  files: FileStat[];
  records: number;
  events: number;
  eventsByKind: Record<string, number>;
  alerts: number;
  alertsByRule: Record<string, number>;
  /** alerts not repeated because another source already reported the same process */
  alertsDeduplicated: number;
  /** process starts recognised as a process another source already reported */
  mergedProcesses: number;
  /** Sigma rules loaded (0 when none were given) */
  rulesLoaded: number;
  /** what the allowlists suppressed: per entry and rule, with an example event */
  suppressions: SuppressionReport;
  diagnosticsByCode: Record<string, number>;
  /** the hosts events came from (lower case, sorted) */
  hosts: string[];
  elapsedMs: number;
}

/** A summary of nothing yet. */
export function emptySummary(): HuntSummary {
  return { files: [], records: 0, events: 0, eventsByKind: {}, alerts: 0, alertsByRule: {}, alertsDeduplicated: 0, mergedProcesses: 0, rulesLoaded: 0, suppressions: { total: 0, entries: [] }, diagnosticsByCode: {}, hosts: [], elapsedMs: 0 };
}
