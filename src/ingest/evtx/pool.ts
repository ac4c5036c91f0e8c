/**
 * Parallel reading over worker threads. Work is split into tasks (whole small files, or runs of
 * chunks of a large file); results come back in task order, so output is the same as a
 * single-threaded read. At most a few tasks per worker are in flight, which bounds memory.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { diag } from '../../core/index.js';
import type { ReadResult } from '../source.js';
import { CHUNK_SIZE } from './chunk.js';
import { HEADER_SIZE } from './file.js';
import { runTask, type EvtxTask } from './task.js';

/** Files at least this large are split over worker threads by `evtxSource`. */
export const WORKER_MIN_SIZE = 8 * 1024 * 1024;
/** Chunks per task when a file is split (2 MiB). */
const CHUNKS_PER_TASK = 32;
const IN_FLIGHT_PER_WORKER = 3;

export interface ParallelOptions {
  /** worker threads; 0 runs every task in the calling thread (default: cores, at most 4) */
  threads?: number;
}

/**
 * Starts a worker. From compiled JS the worker is worker.js beside this file; from TypeScript sources
 * (tests, benches under tsx) the worker first registers tsx, which workers do not inherit.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url));
  const api = import.meta.resolve('tsx/esm/api');
  const target = new URL('./worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { eval: true });
}

/** Splits a file into tasks: one for small files, runs of chunks for large ones. */
export function tasksFor(path: string, name: string, size: number, split: boolean): EvtxTask[] {
  if (!split || size <= HEADER_SIZE + CHUNKS_PER_TASK * CHUNK_SIZE) return [{ path, name, start: 0, length: -1, firstChunk: 0 }];
  const tasks: EvtxTask[] = [{ path, name, start: 0, length: HEADER_SIZE + CHUNKS_PER_TASK * CHUNK_SIZE, firstChunk: 0 }];
  for (let c = CHUNKS_PER_TASK; HEADER_SIZE + c * CHUNK_SIZE < size; c += CHUNKS_PER_TASK) {
    tasks.push({ path, name, start: HEADER_SIZE + c * CHUNK_SIZE, length: CHUNKS_PER_TASK * CHUNK_SIZE, firstChunk: c });
  }
  return tasks;
}

type Reduce = (batch: ReadResult[]) => unknown;
/** A reducer: a module URL (loaded by workers) and the same function loaded here (for fallbacks). */
interface Reducer { url: string; fn: Reduce }
interface Job { task: EvtxTask; resolve: (r: unknown[]) => void }

/** Jobs queued at each worker, so it never waits for a round trip between two jobs. */
const QUEUED_PER_WORKER = 2;

/** A fixed set of workers, a couple of jobs queued at each; a dead worker's jobs finish in this thread. */
class Pool {
  private readonly live = new Set<Worker>();
  private readonly busy = new Map<Worker, Map<number, Job>>();
  private readonly queue: Job[] = [];
  private closing = false;
  private nextId = 0;

  constructor(n: number, private readonly reducer?: Reducer) {
    for (let i = 0; i < n; i++) this.spawn();
  }

  private spawn(): void {
    const w = startWorker();
    const jobs = new Map<number, Job>();
    this.live.add(w);
    this.busy.set(w, jobs);
    w.on('message', (m: { id: number; json?: string; error?: string }) => {
      const job = jobs.get(m.id);
      jobs.delete(m.id);
      job?.resolve(m.json !== undefined ? (JSON.parse(m.json) as unknown[]) : fallback(job.task, m.error ?? 'worker failed', this.reducer));
      this.pump();
    });
    const dead = (why: string): void => {
      if (!this.live.delete(w)) return;
      this.busy.delete(w);
      if (!this.closing) for (const job of jobs.values()) job.resolve(fallback(job.task, why, this.reducer));
      jobs.clear();
      this.pump();
    };
    w.on('error', (e) => dead(String(e)));
    w.on('exit', (code) => dead(`worker exited with code ${code}`));
  }

  run(task: EvtxTask): Promise<unknown[]> {
    return new Promise((resolve) => {
      this.queue.push({ task, resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.closing) return;
    for (const [w, jobs] of this.busy) {
      while (jobs.size < QUEUED_PER_WORKER && this.queue.length) {
        const job = this.queue.shift() as Job;
        const id = this.nextId++;
        jobs.set(id, job);
        w.postMessage({ id, task: job.task, reducer: this.reducer?.url });
      }
    }
    if (this.live.size === 0) for (const job of this.queue.splice(0)) job.resolve(fallback(job.task, 'no worker available', this.reducer));
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.live].map((w) => w.terminate()));
  }
}

/** Runs tasks over `threads` workers and yields each task's batches (or their reductions) in task order. */
async function* runTasks(tasks: EvtxTask[], threads: number, reducer?: Reducer): AsyncGenerator<unknown> {
  if (threads <= 0 || tasks.length === 0) {
    for (const t of tasks) for (const b of runTask(t)) yield reducer ? reducer.fn(b) : b;
    return;
  }
  const pool = new Pool(Math.min(threads, tasks.length), reducer);
  const window = Math.min(threads, tasks.length) * IN_FLIGHT_PER_WORKER;
  const pending: Promise<unknown[]>[] = [];
  let next = 0;
  try {
    for (let done = 0; done < tasks.length; done++) {
      while (next < tasks.length && next - done < window) pending.push(pool.run(tasks[next++]));
      const batches = await (pending.shift() as Promise<unknown[]>);
      for (const b of batches) yield b;
    }
  } finally {
    await pool.close();
  }
}

/** A task whose worker failed is retried in this thread; if that fails too, it becomes a diagnostic. */
function fallback(t: EvtxTask, why: string, reducer?: Reducer): unknown[] {
  let batches: ReadResult[][];
  try {
    batches = runTask(t);
  } catch (e) {
    batches = [[{ diagnostic: diag('SW9001', `EVTX worker failed (${why}); ${String(e)}`, { file: t.name, offset: Math.max(0, t.start) }) }]];
  }
  return reducer ? batches.map(reducer.fn) : batches;
}

/** Default thread count: the machine's cores, at most 4. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Reads one large file with its chunks spread over worker threads, in file order. */
export async function* readEvtxParallel(path: string, name: string, opts: ParallelOptions = {}): AsyncGenerator<ReadResult[]> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    yield [{ diagnostic: diag('SW1001', `cannot read: ${(e as NodeJS.ErrnoException).code ?? e}`, { file: name }) }];
    return;
  }
  yield* runTasks(tasksFor(path, name, size, true), opts.threads ?? defaultThreads()) as AsyncGenerator<ReadResult[]>;
}

function fileTasks(paths: string[]): EvtxTask[] {
  const tasks: EvtxTask[] = [];
  for (const p of paths) {
    let size = 0;
    try {
      size = statSync(p).size;
    } catch {
      size = 0;
    }
    tasks.push(...tasksFor(p, p, size, size >= WORKER_MIN_SIZE));
  }
  return tasks;
}

/** Reads many files over worker threads (whole small files per task, large ones split), in the given order. */
export async function* readEvtxFiles(paths: string[], opts: ParallelOptions = {}): AsyncGenerator<ReadResult[]> {
  yield* runTasks(fileTasks(paths), opts.threads ?? defaultThreads()) as AsyncGenerator<ReadResult[]>;
}

/**
 * Reads many files over worker threads and reduces each batch inside the worker with the `reduce`
 * export of the module at `reducerUrl` (e.g. normalize + detect), yielding the reductions in file
 * order. This is what scales with cores: only the (small) reductions cross threads.
 */
export async function* mapEvtxFiles<R>(paths: string[], reducerUrl: string | URL, opts: ParallelOptions = {}): AsyncGenerator<R> {
  const url = String(reducerUrl);
  const fn = ((await import(url)) as { reduce: Reduce }).reduce;
  yield* runTasks(fileTasks(paths), opts.threads ?? defaultThreads(), { url, fn }) as AsyncGenerator<R>;
}
