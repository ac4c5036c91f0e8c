/**
 * `hunt()`, the pipeline's entry: runs the pipeline here (hunt-here.ts), or spreads folders of files
 * over worker processes (parallel.ts) that each run it. This module loads only what planning and
 * merging need, so a parallel hunt starts its workers before this process has loaded the pipeline
 * (it may never need to: the workers do the hunting).
 */
import { availableParallelism } from 'node:os';
import { diag, type Alert, type Diagnostic } from '../core/index.js';
import { emptySummary, mergeSummaries, rankIn, type FileStat, type HuntSummary } from './summary.js';
import { progressOfWorkers, runParallel, startHuntWorker, type HuntWorker, type WorkerJob } from './parallel.js';
import { PARALLEL_MIN_RECORDS, planParallel } from './plan.js';
import type { HuntOptions, Progress, RulesOption } from './options.js';

export type { FileStat, HuntOptions, HuntSummary, Progress, RulesOption };

/**
 * The pipeline in this process (loaded on first use). `setupDiagnostics`: what to report as problems
 * of the setup instead of those of loading it (none: a worker reports those; more: the caller's own),
 * reported and counted with them.
 */
async function huntHere(paths: string[], opts: HuntOptions, onAlert: (a: Alert) => void, setupDiagnostics?: (loading: Diagnostic[]) => Diagnostic[]): Promise<HuntSummary> {
  const here = await import('./hunt-here.js');
  const setup = setupDiagnostics ? await here.prepareHunt(opts) : undefined;
  if (setup) setup.diagnostics = setupDiagnostics!(setup.diagnostics);
  return here.huntHere(paths, opts, onAlert, setup);
}

/**
 * Runs the built-in (and any given) detectors over everything under `paths`: here, or with
 * `threads` > 1 over worker processes, each folder hunted on its own (parallel.ts).
 */
export async function hunt(paths: string[], opts: HuntOptions, onAlert: (a: Alert) => void): Promise<HuntSummary> {
  const threads = opts.threads === 'auto' ? Math.min(availableParallelism(), 4) : (opts.threads ?? 1);
  const ids = shippable(opts.detectors);
  if (threads > 1 && !paths.includes('-') && !ids) {
    // detectors of the caller's own are objects: they cannot be sent to a worker, so they run here
    const d = diag('SW1014', 'the hunt was given detectors of its own, which cannot be sent to worker processes: hunted on one thread');
    return huntHere(paths, opts, onAlert, (loading) => [d, ...loading]);
  }
  if (threads > 1 && !paths.includes('-') && ids) {
    const t0 = Date.now();
    const job: WorkerJob = { minLevel: opts.minLevel, rules: opts.rules, knownGood: opts.knownGood, detectors: ids, progress: Boolean(opts.onProgress) };
    const progress = opts.onProgress ? progressOfWorkers(opts.onProgress) : undefined;
    // with as many workers as cores each runs V8 on one thread (parallel.ts)
    const single = threads >= availableParallelism();
    // the first worker says what went wrong loading the job (lists, rules), once
    const start = (i: number) => startHuntWorker(job, single, i === 0, progress && ((p) => progress(i, p)));
    // asked for workers: started first, they load the pipeline while this process lists the files
    const workers: HuntWorker[] = opts.threads === 'auto' ? [] : Array.from({ length: threads }, (_, i) => start(i));
    const { items, rest, files, records, diagnostics } = planParallel(paths);
    if (items.length > 1 && (opts.threads !== 'auto' || records >= PARALLEL_MIN_RECORDS)) {
      while (workers.length < Math.min(threads, items.length)) workers.push(start(workers.length));
      for (const w of workers.splice(items.length)) w.stop();
      const running = runParallel(items, files.length, workers, { onAlert, onAlertLines: opts.onAlertLines }, opts.onDiagnostic);
      running.catch(() => {}); // awaited below, after the archives
      // archives and compressed files are read here, meanwhile (setup problems are the workers' to
      // say); what they yield is held and follows the workers' output, so the order never depends on
      // which finishes first
      const here = workers.length;
      const held: Alert[] = [];
      const heldDiagnostics: Diagnostic[] = [];
      const mainPart = rest.length
        ? await huntHere(rest, { ...opts, threads: 1, onProgress: progress && ((p) => progress(here, p)), onDiagnostic: (d) => heldDiagnostics.push(d) }, (a) => held.push(a), () => [])
        : undefined;
      const { summaries, hostFolders } = await running;
      for (const a of held) onAlert(a);
      for (const d of heldDiagnostics) opts.onDiagnostic?.(d);
      if (mainPart) {
        summaries.push(mainPart);
        for (const h of mainPart.hosts) hostFolders.set(h, (hostFolders.get(h) ?? 0) + 1);
      }
      const split = [...hostFolders].filter(([, n]) => n > 1).map(([h]) => h).sort();
      if (split.length) {
        const named = split.slice(0, 5).map((h) => (h.length > 64 ? `${h.slice(0, 64)}…` : h)).join(', ') + (split.length > 5 ? `, and ${split.length - 5} more` : '');
        diagnostics.push(diag('SW3002', `${split.length} host(s) have logs in several folders, each hunted on its own (${named}): what happened in one of those folders is not linked to what another holds (a process to its parent, its logon session, the service or task that ran it); keep each host's logs in one folder, or hunt with --threads 1`));
      }
      const merged = mergeSummaries([...summaries, walkSummary(diagnostics, opts.onDiagnostic)], rankIn(new Map(files.map((f, i) => [f, i]))));
      merged.elapsedMs = Date.now() - t0;
      return merged;
    }
    for (const w of workers) w.stop();
    // asked for workers, but folders are the unit of parallel work: say why there is one thread
    if (opts.threads !== 'auto' && items.length < 2) {
      const d = diag('SW1014', `${items.length ? 'one folder' : 'no folder'} of plain files to spread over workers: hunted on one thread (--threads spreads folders; one host's logs stay together)`);
      return huntHere(paths, opts, onAlert, (loading) => [d, ...loading]);
    }
  }
  return huntHere(paths, opts, onAlert);
}

/** The ids of `detectors` when each is a built-in one (a worker makes its own from the ids), else undefined. */
function shippable(detectors: HuntOptions['detectors']): string[] | 'builtin' | undefined {
  if (detectors === 'builtin') return 'builtin';
  const marker = Symbol.for('shellwatch.builtin-detector');
  return detectors.every((d) => (d as unknown as Record<symbol, unknown>)[marker] === true) ? detectors.map((d) => d.id) : undefined;
}

/** What the planner's walk met instead of files (and the run's own findings), reported and counted as a one-thread hunt does. */
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
