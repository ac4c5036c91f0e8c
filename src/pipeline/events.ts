/** The `events` job: every input record, normalized where a mapping exists, raw otherwise. */
import { isoTime, type Diagnostic } from '../core/index.js';
import { readAll } from '../ingest/read.js';
import { Normalizer } from '../normalize/index.js';

/** Streams one plain object per record (or diagnostic) in input order. */
export async function listEvents(paths: string[], onEvent: (o: Record<string, unknown>) => void, onDiagnostic: (d: Diagnostic) => void): Promise<{ records: number; diagnostics: number }> {
  const normalizer = new Normalizer();
  let records = 0, diagnostics = 0;
  for (const d of normalizer.diagnostics) { diagnostics++; onDiagnostic(d); }
  for await (const item of readAll(paths)) {
    if ('diagnostic' in item && item.diagnostic) { diagnostics++; onDiagnostic(item.diagnostic); continue; }
    for (const r of (item as { results: import('../ingest/source.js').ReadResult[] }).results) {
      if (r.diagnostic) { diagnostics++; onDiagnostic(r.diagnostic); continue; }
      records++;
      const ev = normalizer.normalize(r.record) as unknown as Record<string, unknown>;
      const { raw, event, kind, time, host, user, mapping, system: _s, format: _f, ...typed } = ev;
      onEvent({ kind, time: isoTime(time as number) || null, host, user: user ?? null, event, format: r.record.format, mapping: mapping ?? null, ...typed, system: r.record.system, raw });
    }
  }
  return { records, diagnostics };
}
