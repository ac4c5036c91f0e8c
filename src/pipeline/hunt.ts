/**
 * The hunt pipeline: ingest → normalize → (reorder) → lineage → detect → alerts.
 * Wired here and only here; the faces call hunt() and format what it reports.
 */
import { diag, levelRank, type Alert, type DetectContext, type Detector, type Diagnostic, type Level, type ShellEvent } from '../core/index.js';
import { readAll } from '../ingest/read.js';
import { Lineage } from '../lineage/index.js';
import { Normalizer } from '../normalize/index.js';
import { toAlert } from './alerts.js';
import { ReorderBuffer } from './reorder.js';
import { emptySummary, type FileStat, type HuntSummary } from './summary.js';
import { mergeSummaries, PARALLEL_MIN_RECORDS, planParallel, runParallel, startHuntWorker, type RulesOption } from './parallel.js';
import { keep, rawOf, setupSigma, sigmaAlert, type SigmaFilter } from './sigma.js';
import { loadKnownGood, type KnownGoodOptions } from './knowngood.js';
import { decodeEvent } from './decode.js';
import { availableParallelism } from 'node:os';

export interface Progress { files: number; records: number; events: number; alerts: number; current: string }

export interface HuntOptions {
  detectors: Detector[];
  context?: DetectContext;
  minLevel?: Level;
  /** called at most every few thousand records */
  onProgress?(p: Progress): void;
  onDiagnostic?(d: Diagnostic): void;
  reorderWindowMs?: number;
  /**
   * Worker threads for plain files: 1 (default) runs everything here and streams alerts in processing
   * order; N > 1 spreads host groups over N workers (alerts grouped by input file); 'auto' uses the
   * cores when the input is large enough to pay for it.
   */
  threads?: number | 'auto';
  /**
   * With workers (threads > 1), alerts are handed over as the JSON text a worker made of them
   * (JSON.stringify of the alert) instead of to `onAlert`, for callers that write JSON anyway: the
   * calling process then never parses them. Alerts of the calling process itself still go to `onAlert`.
   */
  onAlertJson?(json: string): void;
  /** Sigma rules to run besides the detectors: files or folders, and which rule statuses to report */
  rules?: RulesOption;
  /** site allowlists, groups and a baseline (the shipped allowlist always applies, with accounting) */
  knownGood?: KnownGoodOptions;
}

export type { FileStat, HuntSummary, RulesOption };


/** Runs the built-in (and any given) detectors over everything under `paths`. */
export async function hunt(paths: string[], opts: HuntOptions, onAlert: (a: Alert) => void): Promise<HuntSummary> {
  const threads = opts.threads === 'auto' ? Math.min(availableParallelism(), 4) : (opts.threads ?? 1);
  if (threads > 1 && !paths.includes('-')) {
    const t0 = Date.now();
    const job = { minLevel: opts.minLevel, rules: opts.rules, knownGood: opts.knownGood, builtin: opts.detectors.length > 0 };
    // asked for workers: they load the pipeline while this process lists the files; with as many
    // workers as cores each runs V8 on one thread (parallel.ts)
    const single = threads >= availableParallelism();
    const workers = opts.threads === 'auto' ? [] : Array.from({ length: threads }, () => startHuntWorker(job, single));
    const { plan, files: order, records, diagnostics } = planParallel(paths, threads);
    if (plan.groups.length > 1 && (opts.threads !== 'auto' || records >= PARALLEL_MIN_RECORDS)) {
      while (workers.length < plan.groups.length) workers.push(startHuntWorker(job, single));
      const mainPart = plan.rest.length ? hunt(plan.rest, { ...opts, threads: 1 }, onAlert) : undefined;
      const parts = await runParallel(plan, order, workers, { onAlert, onAlertJson: opts.onAlertJson }, opts.onDiagnostic);
      if (mainPart) parts.push(await mainPart);
      const merged = mergeSummaries([...parts, walkSummary(diagnostics, opts.onDiagnostic)], order);
      merged.elapsedMs = Date.now() - t0;
      return merged;
    }
    for (const w of workers) w.stop();
  }
  return huntHere(paths, opts, onAlert);
}

/** What the planner's walk met instead of files, reported and counted as a one-thread hunt does. */
function walkSummary(diagnostics: Diagnostic[], onDiagnostic: ((d: Diagnostic) => void) | undefined): HuntSummary {
  const s = emptySummary();
  for (const d of diagnostics) {
    onDiagnostic?.(d);
    s.diagnosticsByCode[d.code] = (s.diagnosticsByCode[d.code] ?? 0) + 1;
    const file = d.location?.file;
    if (file && d.severity !== 'info') s.files.push({ name: file, reader: null, records: 0, diagnostics: 1 });
  }
  return s;
}

/** The pipeline in this thread. */
async function huntHere(paths: string[], opts: HuntOptions, onAlert: (a: Alert) => void): Promise<HuntSummary> {
  const t0 = Date.now();
  const normalizer = new Normalizer();
  const lineage = new Lineage();
  const reorder = new ReorderBuffer<ShellEvent>(opts.reorderWindowMs ?? 10_000);
  const kg = loadKnownGood(opts.knownGood);
  const ctx: DetectContext = opts.context ?? kg.context;
  const detectors = [...opts.detectors, ...kg.detectors];
  const min = levelRank(opts.minLevel ?? 'informational');
  const files = new Map<string, FileStat>();
  const s = emptySummary();
  const report = (d: Diagnostic, file?: string) => {
    s.diagnosticsByCode[d.code] = (s.diagnosticsByCode[d.code] ?? 0) + 1;
    const f = file ? files.get(file) : undefined;
    if (f) f.diagnostics++;
    opts.onDiagnostic?.(d);
  };
  for (const d of [...normalizer.diagnostics, ...kg.diagnostics]) report(d);
  const sigma = opts.rules ? setupSigma(opts.rules.paths, opts.rules.placeholders) : undefined;
  for (const d of sigma?.diagnostics ?? []) report(d);
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
    for (const det of layer ? opts.detectors : detectors) runDetector(det, ev, ctx, min, onAlert, report);
    if (sigma) for (const m of sigma.engine.match(rawOf(ev))) if (keep(m, filter)) onAlert(sigmaAlert(m, ev));
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
    for (const m of sigma.engine.flush()) if (keep(m, filter)) emit(sigmaAlert(m, undefined), undefined);
    for (const d of sigma.engine.diagnostics()) report(d);
  }
  s.mergedProcesses = lineage.tables.merged;
  if (lineage.tables.evicted) report(diag('SW3001', `${lineage.tables.evicted} process entries evicted from the lineage tables`));
  if (!opts.context) s.suppressions = kg.context.report();
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
