/**
 * Renders ServeMetrics in the Prometheus text exposition format 0.0.4. Label values (stream names,
 * reasons) can carry sender-chosen text, e.g. a bulk index name: they are escaped as the format
 * requires (backslash, double quote, newline), and label names are fixed here, never taken from data.
 */
import type { ServeMetrics } from '../pipeline/serve/context.js';

export const PROM_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value as the format spells it (`+Inf`, `NaN`, plain decimal otherwise). */
export function num(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

class Writer {
  readonly lines: string[] = [];
  family(name: string, type: string, help: string): this {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    return this;
  }
  sample(name: string, value: number, labels: Record<string, string> = {}): this {
    const l = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
    this.lines.push(`${name}${l ? `{${l}}` : ''} ${num(value)}`);
    return this;
  }
}

/** `dropped` keys are `stream|reason` (or a bare stream name); anything else is reported under reason "unknown". */
function splitDropKey(k: string): { stream: string; reason: string } {
  const i = k.lastIndexOf('|');
  return i < 0 ? { stream: k, reason: 'unknown' } : { stream: k.slice(0, i), reason: k.slice(i + 1) };
}

export function renderMetrics(m: ServeMetrics, rssBytes: number): string {
  const w = new Writer();
  w.family('shellwatch_events_in_total', 'counter', 'Records committed to the store.').sample('shellwatch_events_in_total', m.eventsIn);
  w.family('shellwatch_events_duplicate_total', 'counter', 'Records delivered again and stored once.').sample('shellwatch_events_duplicate_total', m.eventsDuplicate);
  w.family('shellwatch_dropped_total', 'counter', 'Records refused or dropped, by stream and reason.');
  for (const [k, v] of Object.entries(m.dropped).sort()) w.sample('shellwatch_dropped_total', v, splitDropKey(k));
  w.family('shellwatch_diagnostics_total', 'counter', 'Diagnostics met while reading, by code.');
  for (const [code, v] of Object.entries(m.diagnostics).sort()) w.sample('shellwatch_diagnostics_total', v, { code });
  w.family('shellwatch_alerts_stored_total', 'counter', 'Alerts stored (new ids).').sample('shellwatch_alerts_stored_total', m.alertsStored);
  w.family('shellwatch_queue_depth', 'gauge', 'Events committed but not yet through detection.').sample('shellwatch_queue_depth', m.queueDepth);
  w.family('shellwatch_queue_limit', 'gauge', 'Queue depth at which ingest answers 429.').sample('shellwatch_queue_limit', m.queueLimit);
  w.family('shellwatch_hosts', 'gauge', 'Hosts whose state is kept.').sample('shellwatch_hosts', m.hosts);
  w.family('shellwatch_state_evictions_total', 'counter', 'Idle host states evicted under the state budget.').sample('shellwatch_state_evictions_total', m.evictions);
  histogram(w, 'shellwatch_ingest_to_alert_seconds', 'Ingest-to-stored-alert latency.', m.latency);
  w.family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.').sample('process_resident_memory_bytes', rssBytes);
  return w.lines.join('\n') + '\n';
}

function histogram(w: Writer, name: string, help: string, h: ServeMetrics['latency']): void {
  w.family(name, 'histogram', help);
  const buckets = [...h.buckets].filter(([le]) => Number.isFinite(le)).sort((a, b) => a[0] - b[0]);
  for (const [le, count] of buckets) w.sample(`${name}_bucket`, count, { le: num(le) });
  w.sample(`${name}_bucket`, h.count, { le: '+Inf' });
  w.sample(`${name}_sum`, h.sum);
  w.sample(`${name}_count`, h.count);
}
