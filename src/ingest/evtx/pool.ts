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

const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

/** Splits a file into tasks: one for small files, runs of chunks for large ones. */
export function tasksFor(path: string, name: string, size: number, split: boolean): EvtxTask[] {
  if (!split || size <= HEADER_SIZE + CHUNKS_PER_TASK * CHUNK_SIZE) return [{ path, name, start: 0, length: -1, firstChunk: 0 }];
  const tasks: EvtxTask[] = [{ path, name, start: 0, length: HEADER_SIZE + CHUNKS_PER_TASK * CHUNK_SIZE, firstChunk: 0 }];
  for (let c = CHUNKS_PER_TASK; HEADER_SIZE + c * CHUNK_SIZE < size; c += CHUNKS_PER_TASK) {
    tasks.push({ path, name, start: HEADER_SIZE + c * CHUNK_SIZE, length: CHUNKS_PER_TASK * CHUNK_SIZE, firstChunk: c });
  }
  return tasks;
}

interface Slot { worker: Worker; busy: boolean }
type Settle = (r: ReadResult[][]) => void;

/** Runs tasks over `threads` workers and yields each task's batches in task order. */
export async function* runTasks(tasks: EvtxTask[], threads: number): AsyncGenerator<ReadResult[]> {
  if (threads <= 0 || tasks.length === 0) {
    for (const t of tasks) yield* runTask(t);
    return;
  }
  const n = Math.min(threads, tasks.length);
  const results = new Map<number, Promise<ReadResult[][]>>();
  const waiting = new Map<number, Settle>();
  const queue: number[] = [];
  let next = 0;
  const slots: Slot[] = [];
  const failAll = (why: string): void => {
    for (const [id, settle] of waiting) settle(fallback(tasks[id], why));
    waiting.clear();
  };
  for (let i = 0; i < n; i++) {
    const worker = new Worker(workerUrl);
    const slot: Slot = { worker, busy: false };
    worker.on('message', (m: { id: number; batches?: ReadResult[][]; error?: string }) => {
      const settle = waiting.get(m.id);
      waiting.delete(m.id);
      slot.busy = false;
      settle?.(m.batches ?? fallback(tasks[m.id], m.error ?? 'worker failed'));
      pump();
    });
    worker.on('error', (e) => failAll(String(e)));
    slots.push(slot);
  }
  const pump = (): void => {
    for (const s of slots) {
      if (s.busy || queue.length === 0) continue;
      const id = queue.shift() as number;
      s.busy = true;
      s.worker.postMessage({ id, task: tasks[id] });
    }
  };
  const schedule = (): void => {
    while (next < tasks.length && next - done < n * IN_FLIGHT_PER_WORKER) {
      const id = next++;
      results.set(id, new Promise<ReadResult[][]>((resolve) => waiting.set(id, resolve)));
      queue.push(id);
    }
    pump();
  };
  let done = 0;
  try {
    for (; done < tasks.length; ) {
      schedule();
      const batches = await (results.get(done) as Promise<ReadResult[][]>);
      results.delete(done);
      done++;
      for (const b of batches) yield b;
    }
  } finally {
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

/** A task whose worker failed is retried in this thread; if that fails too, it becomes a diagnostic. */
function fallback(t: EvtxTask, why: string): ReadResult[][] {
  try {
    return runTask(t);
  } catch (e) {
    return [[{ diagnostic: diag('SW9001', `EVTX worker failed (${why}); ${String(e)}`, { file: t.name, offset: Math.max(0, t.start) }) }]];
  }
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
  yield* runTasks(tasksFor(path, name, size, true), opts.threads ?? defaultThreads());
}

/** Reads many files over worker threads (whole small files per task, large ones split), in the given order. */
export async function* readEvtxFiles(paths: string[], opts: ParallelOptions = {}): AsyncGenerator<ReadResult[]> {
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
  yield* runTasks(tasks, opts.threads ?? defaultThreads());
}
