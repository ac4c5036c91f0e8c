/**
 * The hunt pipeline in one thread: ingest → normalize → (reorder) → lineage → detect → alerts.
 * Wired here and only here; the faces call hunt() (hunt.ts), which runs this or spreads files over
 * worker processes that each run this.
 */
import type { Alert, Diagnostic } from '../core/index.js';
import { readAll } from '../ingest/read.js';
import type { FileStat, HuntSummary } from './summary.js';
import type { HuntOptions } from './options.js';
import { prepareHunt, type HuntSetup } from './setup.js';
import { StreamPipeline } from './stream.js';

export { prepareHunt, type HuntSetup };

/**
 * The pipeline in this thread; `setup`: made by prepareHunt from the same options. Each call is a
 * hunt of its own (fresh lineage, detectors, correlation windows and accounting), whatever earlier
 * calls with the same setup read. Drives the streaming pipeline (stream.ts) over files: every record
 * pushed, each batch released, everything flushed at the end of input.
 */
export async function huntHere(paths: string[], opts: HuntOptions, onAlert: (a: Alert) => void, setup?: HuntSetup): Promise<HuntSummary> {
  const t0 = Date.now();
  const su = setup ?? await prepareHunt(opts);
  const files = new Map<string, FileStat>();
  const report = (d: Diagnostic, file?: string) => {
    s.diagnosticsByCode[d.code] = (s.diagnosticsByCode[d.code] ?? 0) + 1;
    const f = file ? files.get(file) : undefined;
    if (f) f.diagnostics++;
    opts.onDiagnostic?.(d);
  };
  const pipeline = new StreamPipeline(su, { detectors: opts.detectors, context: opts.context, minLevel: opts.minLevel, statuses: opts.rules?.statuses, reorderWindowMs: opts.reorderWindowMs }, { alert: (a) => onAlert(a), diagnostic: (d) => report(d) });
  const s = pipeline.summary;
  if (!su.reported) {
    su.reported = true;
    for (const d of su.diagnostics) report(d);
  }
  let current = '';
  let lastProgress = 0;
  // the hosts seen (a parallel hunt tells which of them came from several folders)
  const hosts = new Set<string>();
  let lastHost: string | undefined;
  for await (const item of readAll(paths, { onInput: (name, reader) => { files.set(name, { name, reader, records: 0, diagnostics: 0 }); current = name; } })) {
    if ('diagnostic' in item && item.diagnostic) {
      if (!files.has(item.input) && item.diagnostic.severity !== 'info') files.set(item.input, { name: item.input, reader: null, records: 0, diagnostics: 0 });
      report(item.diagnostic, item.input);
      continue;
    }
    const { results, input } = item as { results: import('../ingest/source.js').ReadResult[]; input: string };
    const stat = files.get(input)!;
    for (const r of results) {
      if (r.diagnostic) { report(r.diagnostic, input); continue; }
      stat.records++;
      const ev = pipeline.push(r.record);
      if (ev.host !== lastHost) { lastHost = ev.host; hosts.add(ev.host); }
    }
    pipeline.release();
    if (opts.onProgress && s.records - lastProgress >= 5000) {
      lastProgress = s.records;
      opts.onProgress({ files: files.size, records: s.records, events: s.events, alerts: s.alerts, current });
    }
  }
  pipeline.flush();
  pipeline.finish();
  s.hosts = [...new Set([...hosts].map((h) => h.toLowerCase()))].sort();
  s.files = [...files.values()];
  s.eventsByKind = sortKeys(s.eventsByKind);
  s.alertsByRule = sortKeys(s.alertsByRule);
  s.diagnosticsByCode = sortKeys(s.diagnosticsByCode);
  s.elapsedMs = Date.now() - t0;
  return s;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
