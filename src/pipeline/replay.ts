/**
 * What `shellwatch replay` sends: every record of the inputs as shellwatch reads them, one JSON line
 * each in the `record/1` shape the server's JSON reader takes as it is, so a replayed record has the
 * same key (and its alerts the same ids) as the file read directly.
 */
import type { Diagnostic, RawRecord } from '../core/index.js';
import { readAll } from '../ingest/read.js';

/** One record as a line of the `record/1` wire shape. */
export function recordLine(r: RawRecord): string {
  return JSON.stringify({ '@shellwatch': 'record/1', format: r.format, system: r.system, data: r.data, ref: { file: r.ref.file, record: r.ref.record } });
}

/** The records under `paths`, in batches as the readers give them; problems as diagnostics. */
export async function* recordBatches(paths: string[]): AsyncGenerator<{ records: RawRecord[]; diagnostics: Diagnostic[] }> {
  for await (const item of readAll(paths)) {
    if ('diagnostic' in item && item.diagnostic) { yield { records: [], diagnostics: [item.diagnostic] }; continue; }
    const records: RawRecord[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const r of (item as { results: import('../ingest/source.js').ReadResult[] }).results) {
      if (r.diagnostic) diagnostics.push(r.diagnostic);
      else records.push(r.record);
    }
    yield { records, diagnostics };
  }
}
