/** What a hunt reports at the end, whichever way it ran. */
import type { SuppressionReport } from '../detect/baseline/index.js';
import { mergeSuppressionReports } from '../detect/baseline/suppressions.js';

// the report's text, for faces that print a summary (light: no allowlist machinery)
export { formatSuppressionReport } from '../detect/baseline/suppressions.js';

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

/**
 * Adds the summaries of several hunts (the folders of a parallel hunt) into one: files in input
 * order (`rankOf`; unknown files last, by name), counts summed, hosts united, and each allowlist
 * entry's example taken from the file that comes first.
 */
export function mergeSummaries(parts: HuntSummary[], rankOf: (file: string) => number): HuntSummary {
  const out = emptySummary();
  const files = new Map<string, FileStat>();
  const add = (into: Record<string, number>, from: Record<string, number>) => { for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v; };
  for (const p of parts) {
    for (const f of p.files) files.set(f.name, f);
    out.records += p.records; out.events += p.events; out.alerts += p.alerts;
    out.alertsDeduplicated += p.alertsDeduplicated; out.mergedProcesses += p.mergedProcesses;
    out.rulesLoaded = Math.max(out.rulesLoaded, p.rulesLoaded);
    add(out.eventsByKind, p.eventsByKind); add(out.alertsByRule, p.alertsByRule); add(out.diagnosticsByCode, p.diagnosticsByCode);
  }
  out.hosts = [...new Set(parts.flatMap((p) => p.hosts))].sort();
  out.suppressions = mergeSuppressionReports(parts.map((p) => p.suppressions), rankOf);
  out.files = [...files.values()].sort((a, b) => rankOf(a.name) - rankOf(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sort = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  out.eventsByKind = sort(out.eventsByKind); out.alertsByRule = sort(out.alertsByRule); out.diagnosticsByCode = sort(out.diagnosticsByCode);
  return out;
}

/** A file's rank in `order` (an archive member's, its archive's); files not in it after all others. */
export function rankIn(order: Map<string, number>): (file: string) => number {
  return (file) => order.get(file) ?? order.get(file.split('!')[0]) ?? Number.MAX_SAFE_INTEGER;
}
