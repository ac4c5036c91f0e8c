/**
 * Hunting folders on several cores. Each folder (plan.ts) is hunted on its own, by whichever worker
 * process asks for work next: workers are handed batches of folders, largest first, each batch a
 * share of what is left (guided scheduling), and ask for more as they finish, so they end together
 * whatever each folder costs. Because every folder starts from fresh state (lineage, detectors,
 * correlation windows, accounting), what a folder yields does not depend on which worker hunted it or
 * on what that worker hunted before: the output is the same for any number of workers, and
 * deterministic. Alerts are emitted grouped by input file, in input order, and in each file in the
 * order the pipeline raised them; diagnostics likewise.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { diag, type Alert, type Diagnostic, type Level } from '../core/index.js';
import type { KnownGoodOptions } from './knowngood.js';
import type { Progress, RulesOption } from './options.js';
import type { WorkItem } from './plan.js';
import type { HuntSummary } from './summary.js';

/** What a worker needs besides its folders (sent at once, before the files are listed). */
export interface WorkerJob {
  minLevel?: Level; rules?: RulesOption; knownGood?: KnownGoodOptions;
  /** ids of the built-in detectors to run (a job is data: detector objects cannot cross processes) */
  detectors: string[] | 'builtin';
  /** report progress (a small IPC message at most every 200 ms) */
  progress?: boolean;
}

/** Messages to a worker: its job (and whether it reports the problems of loading it), folders, the end. */
export type ToWorker = { job: WorkerJob; reportSetup: boolean } | { items: WorkItem[] } | { end: true };

/**
 * Messages from a worker: progress, a batch done (with the bytes it had written by then), its summary
 * (and host → folders seen), a failure.
 */
type FromWorker = { progress?: Progress; done?: number; summary?: HuntSummary; bytes?: number; hostFolders?: [string, number][]; error?: string };

/**
 * Worker processes, not worker threads: measured on 2 cores (docs/evtx.md), two V8 isolates in one
 * process cost ~2-3 CPU-seconds more than two processes doing the same halves, and each isolate's
 * background threads (optimising compiler, concurrent GC) compete with the other worker's main thread.
 * So each worker is a process, and `--single-threaded` when there are as many workers as cores.
 */
function startWorker(single: boolean): ChildProcess {
  const ts = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(ts ? './hunt-worker.ts' : './hunt-worker.js', import.meta.url));
  // under tsx the parent's execArgv carries its loader, which the child needs to run .ts
  const execArgv = [...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')), ...(single ? ['--single-threaded'] : [])];
  // alerts come back on the child's stdout (raw bytes, nothing to deserialise), the rest on IPC
  return fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
}

/**
 * A line a worker wrote to its stdout: the rank of its file in the input order, a tab, the JSON text
 * of an alert (or, after a `D`, of a diagnostic). Measured: sent as IPC messages, the ~65 MB of alerts
 * at x100 kept the calling process deserialising while the workers ran, and backed the last worker's
 * messages up by ~175 ms at the end. Kept as bytes, located as they arrive (the calling process is
 * idle meanwhile): JSON Lines output writes them out without ever decoding them.
 */
interface OutLine { buf: Buffer; start: number; end: number; rank: number; diagnostic: boolean }

interface WorkerResult { summary: HuntSummary; hostFolders: [string, number][] }

/**
 * A worker started before planning: it loads the pipeline and its job while the calling process
 * lists the files. `give` hands it folders, `end` says there are no more; `done` settles once its
 * summary and every byte announced with it are in (the process may still be exiting: `exited`).
 */
export interface HuntWorker {
  give(items: WorkItem[]): void;
  end(): void;
  /** each line it writes, as it arrives */
  onLine?: (l: OutLine) => void;
  /** called once a batch is done and all its lines have arrived (batches finish in the order given) */
  onBatchDone?: () => void;
  done: Promise<WorkerResult>;
  exited: Promise<void>;
  stop(): void;
}

/** The decimal number in `buf` from `start` to `end`; -1 for anything else. */
function numberAt(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 9) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const D = 0x44;

/** Splits a worker's stdout into lines as it arrives (a line may span chunks). */
function lineReader(onLine: (l: OutLine) => void): (chunk: Buffer) => void {
  let pending: Buffer | undefined;
  return (chunk) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let a = 0;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, a)) {
      const tab = buf.indexOf(9, a);
      const diagnostic = buf[a] === D;
      const from = diagnostic ? a + 1 : a;
      if (tab > from && tab < nl) onLine({ buf, start: tab + 1, end: nl + 1, rank: numberAt(buf, from, tab), diagnostic });
      a = nl + 1;
    }
    pending = a < buf.length ? buf.subarray(a) : undefined;
  };
}

/**
 * Starts a worker process for `job`; `single`: one thread for V8 too (as many workers as cores);
 * `reportSetup`: this worker reports the problems of loading the job (one worker does, so they are
 * said once); `onProgress`: its progress, when the job asks for it.
 */
export function startHuntWorker(job: WorkerJob, single: boolean, reportSetup: boolean, onProgress?: (p: Progress) => void): HuntWorker {
  const w = startWorker(single);
  const send = (m: ToWorker) => { if (w.connected) w.send(m); };
  send({ job, reportSetup });
  let received = 0;
  let last: FromWorker | undefined, bytes = -1;
  /** batches done, by the bytes written when each was: complete once that many are read */
  const doneAt: number[] = [];
  const stop = () => { if (w.exitCode === null && w.signalCode === null) w.kill(); };
  // (the handlers below run once the worker writes, after `worker` is made)
  const read = lineReader((l) => worker.onLine?.(l));
  const batches = () => { while (doneAt.length && received >= doneAt[0]) { doneAt.shift(); worker.onBatchDone?.(); } };
  const done = new Promise<WorkerResult>((resolve, reject) => {
    const settle = () => { if (last?.summary && received === bytes) resolve({ summary: last.summary, hostFolders: last.hostFolders ?? [] }); };
    w.stdout!.on('data', (c: Buffer) => { received += c.length; read(c); batches(); settle(); });
    w.on('message', (m: FromWorker) => {
      if (m.progress) onProgress?.(m.progress);
      else if (m.done !== undefined) { doneAt.push(m.done); batches(); }
      else if (m.summary) { last = m; bytes = m.bytes ?? 0; settle(); }
      else if (m.error) { reject(new Error(m.error)); stop(); }
    });
    w.on('error', reject);
    // 'exit', not 'close': Node 20 emits 'close' for a forked child with advanced serialization only
    // sometimes (measured: never, here)
    w.on('exit', (code, signal) => { if (!last?.summary || received !== bytes) reject(new Error(`worker exited (${signal ?? code}) before finishing`)); });
  });
  const worker: HuntWorker = {
    give: (items) => send({ items }),
    end: () => send({ end: true }),
    done,
    exited: new Promise<void>((resolve) => w.on('exit', () => resolve())),
    stop,
  };
  done.catch(() => {}); // a worker stopped unused, or failing before it is run, is not an unhandled rejection
  return worker;
}

/** Where alerts go: objects, or (when the caller writes JSON Lines anyway) the workers' lines as bytes. */
export type AlertSink = { onAlert: (a: Alert) => void; onAlertLines?: (lines: Buffer) => void };

/** Bytes handed to `onAlertLines` per call. */
const LINES_BATCH = 1 << 20;

/** What the workers found: their summaries, and per host the number of folders its events came from. */
export interface ParallelResult { summaries: HuntSummary[]; hostFolders: Map<string, number> }

/**
 * Hands `items` out to `workers` as they ask (the first two batches each at once, so none waits for
 * the next), and emits their alerts in input order as soon as every file before them is done:
 * folders are handed out in input order (after the large ones), so output flows while they hunt.
 * Diagnostics follow at the end, in input order too.
 */
export async function runParallel(items: WorkItem[], fileCount: number, workers: HuntWorker[], sink: AlertSink,
  onDiagnostic: ((d: Diagnostic) => void) | undefined): Promise<ParallelResult> {
  const queue = [...items];
  let left = queue.reduce((n, i) => n + i.records, 0);
  // guided: a batch is a share of what is left (at least one folder), so batches shrink to the end
  const take = (): WorkItem[] => {
    const want = left / (2 * workers.length);
    const out: WorkItem[] = [];
    let got = 0;
    while (queue.length && (!out.length || got < want)) { const i = queue.shift()!; out.push(i); got += i.records; }
    left -= got;
    return out;
  };
  // lines by the rank of their file (the last bucket: no known file), emitted once a prefix of the
  // files is done
  const alerts: (OutLine[] | undefined)[] = new Array(fileCount + 1);
  const diagnostics: (OutLine[] | undefined)[] = new Array(fileCount + 1);
  const doneFile = new Uint8Array(fileCount);
  let emitted = 0;
  const out = lineWriter(sink);
  const emit = () => {
    // (a bucket is let go once written: what is out no longer holds the worker's bytes)
    for (; emitted < fileCount && doneFile[emitted]; emitted++) { out(alerts[emitted]); alerts[emitted] = undefined; }
  };
  const ended = new Set<HuntWorker>();
  const nexts = workers.map((w) => {
    const given: WorkItem[][] = [];
    w.onLine = (l) => {
      const at = l.rank >= 0 && l.rank < fileCount ? l.rank : fileCount;
      const into = l.diagnostic ? diagnostics : alerts;
      (into[at] ??= []).push(l);
    };
    const next = () => {
      const b = take();
      if (b.length) { given.push(b); w.give(b); }
      else if (!ended.has(w)) { ended.add(w); w.end(); }
    };
    w.onBatchDone = () => {
      for (const item of given.shift() ?? []) for (const r of item.ranks) doneFile[r] = 1;
      emit();
      next();
    };
    return next;
  });
  for (let round = 0; round < 2; round++) for (const next of nexts) next();
  let results: WorkerResult[];
  try {
    results = await Promise.all(workers.map((w) => w.done));
  } catch (e) {
    for (const w of workers) w.stop();
    onDiagnostic?.(diag('SW9001', `parallel hunt failed: ${(e as Error).message}`));
    throw e;
  }
  doneFile.fill(1);
  emit();
  out(alerts[fileCount]);
  out(undefined, true);
  if (onDiagnostic) for (const ls of diagnostics) for (const l of ls ?? []) onDiagnostic(JSON.parse(l.buf.toString('utf8', l.start, l.end)) as Diagnostic);
  // the workers exit meanwhile: none outlives the hunt (and their CPU time is accounted to it)
  await Promise.all(workers.map((w) => w.exited));
  const hostFolders = new Map<string, number>();
  for (const r of results) for (const [h, n] of r.hostFolders) hostFolders.set(h, (hostFolders.get(h) ?? 0) + n);
  return { summaries: results.map((r) => r.summary), hostFolders };
}

/** Writes lines to the sink: as bytes in batches of ~1 MiB (`flush` sends what is held), or as alerts. */
function lineWriter(sink: AlertSink): (lines: OutLine[] | undefined, flush?: boolean) => void {
  let batch: Buffer[] = [];
  let size = 0;
  return (lines, flush = false) => {
    if (!sink.onAlertLines) {
      for (const l of lines ?? []) sink.onAlert(JSON.parse(l.buf.toString('utf8', l.start, l.end)) as Alert);
      return;
    }
    for (const l of lines ?? []) {
      batch.push(l.buf.subarray(l.start, l.end));
      size += l.end - l.start;
    }
    if (size && (flush || size >= LINES_BATCH)) { sink.onAlertLines(Buffer.concat(batch, size)); batch = []; size = 0; }
  };
}

/** Two progresses added up; `current` is the second's. */
export function addProgress(a: Progress, b: Progress): Progress {
  return { files: a.files + b.files, records: a.records + b.records, events: a.events + b.events, alerts: a.alerts + b.alerts, current: b.current };
}

/** One progress from several workers' (each reports its own totals): the sums, and the latest file. */
export function progressOfWorkers(onProgress: (p: Progress) => void): (worker: number, p: Progress) => void {
  const last: Progress[] = [];
  return (worker, p) => {
    last[worker] = p;
    onProgress(last.reduce((sum, q) => (q ? addProgress(sum, q) : sum), { files: 0, records: 0, events: 0, alerts: 0, current: p.current }));
  };
}
