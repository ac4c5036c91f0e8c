/** The end-of-run summary: files and their events, events by kind, alerts by rule, diagnostics by code. */
import type { HuntSummary } from '../pipeline/index.js';
import { terminalSafe } from './output/sanitize.js';

export function formatSummary(s: HuntSummary): string {
  const lines: string[] = [];
  const secs = s.elapsedMs / 1000;
  lines.push(`shellwatch: ${s.files.length} input(s), ${s.records} records, ${s.events} events, ${s.alerts} alerts in ${secs.toFixed(2)}s (${Math.round(s.events / Math.max(secs, 0.001))} events/s)`);
  lines.push('files:');
  for (const f of s.files) lines.push(`  ${String(f.records).padStart(8)}  ${(f.reader ?? '-').padEnd(10)} ${terminalSafe(f.name)}${f.diagnostics ? `  (${f.diagnostics} diagnostics)` : ''}`);
  const table = (title: string, o: Record<string, number>) => {
    lines.push(`${title}:${Object.keys(o).length ? '' : ' none'}`);
    for (const [k, v] of Object.entries(o)) lines.push(`  ${String(v).padStart(8)}  ${k}`);
  };
  table('events by kind', s.eventsByKind);
  table('alerts by rule', s.alertsByRule);
  if (s.mergedProcesses || s.alertsDeduplicated) lines.push(`lineage: ${s.mergedProcesses} process starts seen by two sources merged; ${s.alertsDeduplicated} duplicate alerts not repeated`);
  if (s.suppressions.total) lines.push(`allowlist: ${s.suppressions.total} alerts suppressed by ${s.suppressions.entries.filter((e) => e.total).length} entries (--suppressions lists them)`);
  table('diagnostics by code', s.diagnosticsByCode);
  return lines.join('\n') + '\n';
}
