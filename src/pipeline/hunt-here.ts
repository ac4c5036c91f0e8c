/**
 * The hunt pipeline in one thread: ingest → normalize → (reorder) → lineage → detect → alerts.
 * Wired here and only here; the faces call hunt() (hunt.ts), which runs this or spreads files over
 * worker processes that each run this.
 */
import { diag, levelRank, type Alert, type DetectContext, type Detector, type Diagnostic, type ShellEvent } from '../core/index.js';
import { readAll } from '../ingest/read.js';
import { Lineage } from '../lineage/index.js';
import { Normalizer } from '../normalize/index.js';
import { toAlert } from './alerts.js';
import { ReorderBuffer } from './reorder.js';
import { emptySummary, type FileStat, type HuntSummary } from './summary.js';
import { loadKnownGood, type KnownGood } from './knowngood.js';
import { decodeEvent } from './decode.js';
import { defaultDetectors } from './detectors.js';
import type { HuntOptions } from './options.js';
import type { SigmaFilter, SigmaSetup } from './sigma.js';

/** What a hunt loads before reading anything: mappings, known-good lists, Sigma rules. */
export interface HuntSetup {
  normalizer: Normalizer;
  kg: KnownGood;
  sg?: typeof import('./sigma.js');
  sigma?: SigmaSetup;
  /** problems met while loading: reported (and counted) by the first hunt that uses this setup */
  diagnostics: Diagnostic[];
  /** set once they are reported (a worker that should not report them sets it itself) */
  reported: boolean;
}

/**
 * Loads what `opts` asks for. A worker of a parallel hunt does this as soon as it knows the job,
 * while the calling process is still listing the files, and hunts each folder with it.
 */
export async function prepareHunt(opts: Pick<HuntOptions, 'knownGood' | 'rules'>): Promise<HuntSetup> {
  const normalizer = new Normalizer();
  const kg = loadKnownGood(opts.knownGood);
  // the Sigma engine is loaded only when there are rules to run
  const sg = opts.rules ? await import('./sigma.js') : undefined;
  const sigma = sg && opts.rules ? sg.setupSigma(opts.rules.paths, opts.rules.placeholders) : undefined;
  return { normalizer, kg, sg, sigma, diagnostics: [...normalizer.diagnostics, ...kg.diagnostics, ...(sigma?.diagnostics ?? [])], reported: false };
}

/**
 * The pipeline in this thread; `setup`: made by prepareHunt from the same options. Each call is a
 * hunt of its own (fresh lineage, detectors, correlation windows and accounting), whatever earlier
 * calls with the same setup read.
 */
export async function huntHere(paths: string[], opts: HuntOptions, onAlert: (a: Alert) => void, setup?: HuntSetup): Promise<HuntSummary> {
  const t0 = Date.now();
  const su = setup ?? await prepareHunt(opts);
  const { normalizer, kg, sg, sigma } = su;
  sigma?.engine.reset();
  const lineage = new Lineage();
  const reorder = new ReorderBuffer<ShellEvent>(opts.reorderWindowMs ?? 10_000);
  // the detectors asked for (decoded layers run these only), fresh: some keep per-hunt state
  const own = opts.detectors === 'builtin' ? defaultDetectors() : opts.detectors;
  const detectors = [...own, ...kg.createDetectors()];
  const kgContext = opts.context ? undefined : kg.newContext();
  const ctx: DetectContext = opts.context ?? kgContext!;
  const min = levelRank(opts.minLevel ?? 'informational');
  const files = new Map<string, FileStat>();
  const s = emptySummary();
  const report = (d: Diagnostic, file?: string) => {
    s.diagnosticsByCode[d.code] = (s.diagnosticsByCode[d.code] ?? 0) + 1;
    const f = file ? files.get(file) : undefined;
    if (f) f.diagnostics++;
    opts.onDiagnostic?.(d);
  };
  if (!su.reported) {
    su.reported = true;
    for (const d of su.diagnostics) report(d);
  }
  if (sigma) s.rulesLoaded = sigma.listing.filter((r) => r.loaded).length;
  const filter: SigmaFilter = { minLevel: opts.minLevel, statuses: opts.rules?.statuses };
  const ready: ShellEvent[] = [];
  const linked: ShellEvent[] = [];
  const seen = new Set<string>();
  const emit = (a: Alert, ev: ShellEvent | undefined) => {
    // one process reported by two sources (Sysmon 1 and 4688) is one process: alert on it once per rule
    // and a process beaconing to one endpoint is one finding per rule, not one per connection
    const key = ev?.kind === 'process_start' && ev.nodeId ? `${ev.host.toLowerCase()}|${ev.nodeId}`
      : ev?.kind === 'network' && ev.observer !== 'network' && (ev.process.guid || ev.process.pid !== undefined)
        ? `${ev.host.toLowerCase()}|${ev.process.guid ?? ev.process.pid}|${ev.dstIp}:${ev.dstPort}` : undefined;
    if (key !== undefined) {
      const k = `${a.rule.source}:${a.rule.id}|${ev!.kind}|${key}`;
      if (seen.has(k)) { s.alertsDeduplicated++; return; }
      seen.add(k);
    }
    s.alerts++;
    s.alertsByRule[a.rule.id] = (s.alertsByRule[a.rule.id] ?? 0) + 1;
    if (kg.baseline && ev) a.baseline = kg.baseline.judge(ev);
    onAlert(a);
  };
  /** Runs every detector and Sigma rule on one event (or a decoded variant of it). */
  // a decoded layer is text the process carried, not another process: the baseline judges processes only
  const detectOne = (ev: ShellEvent, onAlert: (a: Alert) => void, layer = false) => {
    for (const det of layer ? own : detectors) runDetector(det, ev, ctx, min, onAlert, report);
    if (sigma) for (const m of sigma.engine.match(sg!.rawOf(ev))) if (sg!.keep(m, filter)) onAlert(sg!.sigmaAlert(m, ev));
  };
  const detect = () => {
    for (const ev of linked) {
      const { layers, variants } = decodeEvent(ev);
      // what fired on the event itself, when there are decoded layers to compare with
      const fired = variants.length ? new Set<string>() : undefined;
      detectOne(ev, (a) => {
        fired?.add(a.rule.id);
        if (!a.decoded.length && layers.length) a.decoded = layers;
        emit(a, ev);
      });
      // each decoded layer is the event's text to every rule: report what fires only there
      for (const v of variants) {
        detectOne(v.ev, (a) => {
          if (fired!.has(a.rule.id)) return;
          fired!.add(a.rule.id);
          a.reason = `in decoded layer ${v.layer} (${v.chain.map((c) => c.technique).join(' → ')}): ${a.reason}`;
          a.decoded = v.chain;
          a.evidence = { ...a.evidence, decodedLayer: v.layer };
          emit(a, ev);
        }, true);
      }
    }
    linked.length = 0;
  };
  const detectAll = (evs: ShellEvent[]) => {
    for (const ev of evs) lineage.process(ev, linked);
    evs.length = 0;
    detect();
  };
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
      s.records++;
      const ev = normalizer.normalize(r.record);
      s.events++;
      s.eventsByKind[ev.kind] = (s.eventsByKind[ev.kind] ?? 0) + 1;
      if (ev.host !== lastHost) { lastHost = ev.host; hosts.add(ev.host); }
      reorder.push(ev, ready);
    }
    detectAll(ready);
    if (opts.onProgress && s.records - lastProgress >= 5000) {
      lastProgress = s.records;
      opts.onProgress({ files: files.size, records: s.records, events: s.events, alerts: s.alerts, current });
    }
  }
  reorder.flush(ready);
  detectAll(ready);
  lineage.flush(linked);
  detect();
  if (sigma) {
    for (const m of sigma.engine.flush()) if (sg!.keep(m, filter)) emit(sg!.sigmaAlert(m, undefined), undefined);
    for (const d of sigma.engine.diagnostics()) report(d);
  }
  s.mergedProcesses = lineage.tables.merged;
  s.hosts = [...new Set([...hosts].map((h) => h.toLowerCase()))].sort();
  if (lineage.tables.evicted) report(diag('SW3001', `${lineage.tables.evicted} process entries evicted from the lineage tables`));
  if (kgContext) s.suppressions = kgContext.report();
  s.files = [...files.values()];
  s.eventsByKind = sortKeys(s.eventsByKind);
  s.alertsByRule = sortKeys(s.alertsByRule);
  s.diagnosticsByCode = sortKeys(s.diagnosticsByCode);
  s.elapsedMs = Date.now() - t0;
  return s;
}

function runDetector(det: Detector, ev: ShellEvent, ctx: DetectContext, min: number, emit: (a: Alert) => void, report: (d: Diagnostic) => void): void {
  let findings;
  try {
    findings = det.detect(ev, ctx);
  } catch (e) {
    report(diag('SW4002', `detector ${det.id} failed: ${(e as Error).message}`, { file: ev.event.file, record: ev.event.record ?? undefined, line: ev.event.line }, det.id));
    return;
  }
  for (const f of findings) if (levelRank(f.level ?? det.level) >= min) emit(toAlert(det, ev, f));
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
