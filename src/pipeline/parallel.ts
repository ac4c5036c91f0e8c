/**
 * Hunting a folder on several cores. Files are grouped by the folder that holds them: collections keep
 * one host's logs together (KAPE, Velociraptor and winevt\\Logs copies are per host), so every file of
 * one host (its Sysmon, Security and System logs) lands in the same worker and lineage, sessions and
 * cross-source merging work as in one thread. (Reading each file's first record to group by host cost as
 * much as the hunt itself on folders of small EVTX files.) Groups go to the least-loaded worker by size. Output is
 * deterministic whatever the scheduling: alerts are emitted grouped by input file, in input order, and in
 * each file in the order the pipeline raised them.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { diag, type Alert, type Diagnostic, type Level } from '../core/index.js';
import { walkPath } from '../ingest/inputs.js';
// the header alone, not the reader: the calling process of a parallel hunt never parses EVTX
import { estimateEvtxRecords, HEADER_SIZE } from '../ingest/evtx/header.js';
import { emptySummary, type FileStat, type HuntSummary } from './summary.js';
import type { KnownGoodOptions } from './knowngood.js';
import type { Progress, RulesOption } from './options.js';
import { mergeSuppressionReports } from '../detect/baseline/suppressions.js';


export interface ParallelPlan { groups: string[][]; rest: string[] }

/** Records a plain file holds, roughly: EVTX from its headers, anything else ~1 per 500 bytes. */
function estimateRecords(path: string, head: Buffer): number {
  let n = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      n = readSync(fd, head, 0, head.length, 0);
      return estimateEvtxRecords(head.subarray(0, n)) ?? Math.ceil(fstatSync(fd).size / 500);
    } finally { closeSync(fd); }
  } catch { return 0; }
}

export interface PlanResult {
  plan: ParallelPlan;
  /** every plain file, in input order */
  files: string[];
  records: number;
  /** what the walk met instead of files (skipped by name, unreadable) */
  diagnostics: Diagnostic[];
}

/**
 * Plain files found under `paths` (archives, .gz and stdin are left to the calling process), grouped
 * by folder, the groups spread over `workers` by estimated records (file sizes say little: a 1 MiB
 * EVTX file may hold ten records or two thousand).
 */
export function planParallel(paths: string[], workers: number): PlanResult {
  const files: string[] = [];
  const rest = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    for (const w of walkPath(p)) {
      if (w.diagnostic) diagnostics.push(w.diagnostic);
      else if (/\.(zip|gz)$/i.test(w.file)) rest.add(w.file);
      else files.push(w.file);
    }
  }
  const byHost = new Map<string, string[]>();
  for (const f of files) {
    const dir = dirname(f);
    const g = byHost.get(dir);
    if (g) g.push(f);
    else byHost.set(dir, [f]);
  }
  const head = Buffer.alloc(HEADER_SIZE + 32);
  const recordsOf = new Map(files.map((f) => [f, estimateRecords(f, head)]));
  const load = new Array<number>(workers).fill(0);
  const groups: string[][] = Array.from({ length: workers }, () => []);
  const hostGroups = [...byHost.values()].map((g) => ({ g, size: g.reduce((n, f) => n + recordsOf.get(f)!, 0) }));
  hostGroups.sort((a, b) => b.size - a.size || (a.g[0] < b.g[0] ? -1 : 1));
  for (const { g, size } of hostGroups) {
    const w = load.indexOf(Math.min(...load));
    groups[w].push(...g);
    load[w] += size;
  }
  const order = new Map(files.map((f, i) => [f, i]));
  for (const g of groups) g.sort((a, b) => order.get(a)! - order.get(b)!);
  return { plan: { groups: groups.filter((g) => g.length), rest: [...rest] }, files, records: load.reduce((a, b) => a + b, 0), diagnostics };
}

/** What a worker needs besides its files (both sent once the calling process has planned). */
export interface WorkerJob {
  minLevel?: Level; rules?: RulesOption; knownGood?: KnownGoodOptions; builtin: boolean;
  /** report progress (a small IPC message every few thousand records) */
  progress?: boolean;
}

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
 * A worker's alerts, as it wrote them to its stdout: one line each, the index of the alert's input
 * file in the worker's group, a tab, and the JSON text of the alert (measured: sending them as IPC
 * messages kept the calling process deserialising ~65 MB at x100 while the workers ran, and backed
 * the last worker's messages up by ~175 ms at the end). Kept as bytes, located as they arrive (the
 * calling process is idle meanwhile): JSON Lines output writes them out without ever decoding them.
 */
interface AlertLine { buf: Buffer; start: number; end: number; index: number }

interface WorkerResult { lines: AlertLine[]; summary: HuntSummary }

/**
 * A worker started before planning: it loads the pipeline, and what the job asks for (rules, lists),
 * while the calling process lists the files. `run` settles once the summary and every byte of
 * alerts announced with it are in (the process may still be exiting: `exited` says when it is gone).
 */
export interface HuntWorker { run(files: string[]): Promise<WorkerResult>; stop(): void; exited: Promise<void> }

type WorkerMessage = { summary?: HuntSummary; bytes?: number; error?: string; progress?: Progress };

/** The decimal number in `buf` from `start` to `end` (the file index before a tab); -1 if none. */
function indexAt(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 9) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Splits a worker's stdout into alert lines as it arrives (a line may span chunks). */
function lineReader(lines: AlertLine[]): (chunk: Buffer) => void {
  let pending: Buffer | undefined;
  return (chunk) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let a = 0;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, a)) {
      const tab = buf.indexOf(9, a);
      if (tab > a && tab < nl) lines.push({ buf, start: tab + 1, end: nl + 1, index: indexAt(buf, a, tab) });
      a = nl + 1;
    }
    pending = a < buf.length ? buf.subarray(a) : undefined;
  };
}

/**
 * Starts a worker process for `job`; `single`: one thread for V8 too (as many workers as cores);
 * `onProgress`: its progress, when the job asks for it.
 */
export function startHuntWorker(job: WorkerJob, single: boolean, onProgress?: (p: Progress) => void): HuntWorker {
  const w = startWorker(single);
  w.send({ job });
  const lines: AlertLine[] = [];
  const read = lineReader(lines);
  let received = 0;
  let summary: HuntSummary | undefined, bytes = -1;
  const stop = () => { if (w.exitCode === null && w.signalCode === null) w.kill(); };
  let settle = () => {};
  const done = new Promise<WorkerResult>((resolve, reject) => {
    settle = () => { if (summary && received === bytes) resolve({ lines, summary }); };
    w.stdout!.on('data', (c: Buffer) => { received += c.length; read(c); settle(); });
    w.on('message', (m: WorkerMessage) => {
      if (m.progress) onProgress?.(m.progress);
      else if (m.summary) { summary = m.summary; bytes = m.bytes ?? 0; settle(); }
      else if (m.error) { reject(new Error(m.error)); stop(); }
    });
    w.on('error', reject);
    w.on('exit', (code, signal) => { if (!summary || received !== bytes) reject(new Error(`worker exited (${signal ?? code}) before finishing`)); });
  });
  done.catch(() => {}); // a worker stopped unused, or failing before it is run, is not an unhandled rejection
  // 'exit', not 'close': Node 20 emits 'close' for a forked child with advanced serialization only
  // sometimes (measured: never, here)
  const exited = new Promise<void>((resolve) => {
    if (w.exitCode !== null || w.signalCode !== null) resolve();
    else w.on('exit', () => resolve());
  });
  return { run: (files) => { w.send({ files }); return done; }, stop, exited };
}

/** Where alerts go: objects, or (when the caller writes JSON Lines anyway) the workers' lines as bytes. */
export type AlertSink = { onAlert: (a: Alert) => void; onAlertLines?: (lines: Buffer) => void };

/** Bytes handed to `onAlertLines` per call. */
const LINES_BATCH = 1 << 20;

/**
 * Runs each group in one of `workers` (extra ones are stopped); emits alerts grouped by input file,
 * in input order, and in each file in the order its worker raised them.
 */
export async function runParallel(plan: ParallelPlan, fileOrder: string[], workers: HuntWorker[], sink: AlertSink,
  onDiagnostic: ((d: Diagnostic) => void) | undefined): Promise<HuntSummary[]> {
  let results: WorkerResult[];
  for (const w of workers.slice(plan.groups.length)) w.stop();
  try {
    results = await Promise.all(plan.groups.map((g, i) => workers[i].run(g)));
  } catch (e) {
    for (const w of workers) w.stop();
    onDiagnostic?.(diag('SW9001', `parallel hunt failed: ${(e as Error).message}`));
    throw e;
  }
  // ordered by the rank of their file, and by arrival within a file: a counting sort over ranks, stable
  const rank = new Map(fileOrder.map((f, i) => [f, i]));
  const none = fileOrder.length;
  const perRank = new Int32Array(none + 1);
  const ranked = results.map((r, w) => {
    const ranks = plan.groups[w].map((f) => rank.get(f) ?? none);
    return r.lines.map((l) => { const at = ranks[l.index] ?? none; perRank[at]++; return at; });
  });
  let sum = 0;
  for (let i = 0; i < perRank.length; i++) { const n = perRank[i]; perRank[i] = sum; sum += n; }
  const ordered = new Array<AlertLine>(sum);
  results.forEach((r, w) => r.lines.forEach((l, i) => { ordered[perRank[ranked[w][i]]++] = l; }));
  if (sink.onAlertLines) {
    let batch: Buffer[] = [];
    let size = 0;
    for (const l of ordered) {
      batch.push(l.buf.subarray(l.start, l.end));
      size += l.end - l.start;
      if (size >= LINES_BATCH) { sink.onAlertLines(Buffer.concat(batch, size)); batch = []; size = 0; }
    }
    if (batch.length) sink.onAlertLines(Buffer.concat(batch, size));
  } else {
    for (const l of ordered) sink.onAlert(JSON.parse(l.buf.toString('utf8', l.start, l.end)) as Alert);
  }
  // the workers exit meanwhile: none outlives the hunt (and their CPU time is accounted to it)
  await Promise.all(workers.map((w) => w.exited));
  return results.map((r) => r.summary);
}

/** One progress from several workers' (each reports its own totals): the sums, and the latest file. */
export function progressOfWorkers(onProgress: (p: Progress) => void): (worker: number, p: Progress) => void {
  const last: Progress[] = [];
  return (worker, p) => {
    last[worker] = p;
    const sum: Progress = { files: 0, records: 0, events: 0, alerts: 0, current: p.current };
    for (const q of last) if (q) { sum.files += q.files; sum.records += q.records; sum.events += q.events; sum.alerts += q.alerts; }
    onProgress(sum);
  };
}

/**
 * Hosts more than one worker saw events of: their logs were in folders that went to different
 * workers, so a process in one folder is not linked to its parent, session or service in another
 * (one thread links them). Sorted.
 */
export function splitHosts(parts: HuntSummary[]): string[] {
  const seen = new Map<string, number>();
  for (const p of parts) for (const h of p.hosts) seen.set(h, (seen.get(h) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([h]) => h).sort();
}

/** Adds worker summaries into one, files in input order. */
export function mergeSummaries(parts: HuntSummary[], fileOrder: string[]): HuntSummary {
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
  out.suppressions = mergeSuppressionReports(parts.map((p) => p.suppressions));
  const rank = new Map(fileOrder.map((f, i) => [f, i]));
  out.files = [...files.values()].sort((a, b) => (rank.get(a.name) ?? 1e9) - (rank.get(b.name) ?? 1e9) || (a.name < b.name ? -1 : 1));
  const sort = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  out.eventsByKind = sort(out.eventsByKind); out.alertsByRule = sort(out.alertsByRule); out.diagnosticsByCode = sort(out.diagnosticsByCode);
  return out;
}

/**
 * Below this many records (estimated) `--threads auto` stays on one thread. Measured on 2 cores with
 * worker processes: each worker pays for its own start (Node and the pipeline, ~0.1-0.2 s) and its
 * own JIT warm-up, so two workers are on a par with one unpinned thread at ~77,000 events (0.94x),
 * ~1.2x at ~230,000, ~1.6x at 766,000 (docs/evtx.md).
 */
export const PARALLEL_MIN_RECORDS = 150_000;
