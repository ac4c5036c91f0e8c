/**
 * How the engine drives detection: in its own thread (tests, tools) or on a thread of its own
 * (`serve`: detect-thread.ts, with its own store connection). Both behind one small interface.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../core/index.js';
import type { Store, StoreConfig, StoredAlert } from '../../store/contract.js';
import type { ServeConfig } from './config.js';
import { Detection, SNAPSHOT, type DetectionSink, type DetectionStats } from './detection.js';
import type { FromDetect, ToDetect } from './detect-messages.js';

export type ReloadResult = { loaded: number; failed: number; diagnostics: Diagnostic[] };

export interface DetectionHandle {
  notify(upTo: number): void;
  /** the latest figures (from the detection thread: as of its last report) */
  stats(): DetectionStats;
  settle(): Promise<void>;
  reload(): Promise<ReloadResult>;
  close(): Promise<void>;
}

/** Detection in this thread, over the engine's own store connection. */
export async function localDetection(store: Store, config: ServeConfig, sink: DetectionSink): Promise<DetectionHandle> {
  const d = await Detection.open(store, config, sink);
  return { notify: (n) => d.notify(n), stats: () => d.stats(), settle: () => d.settle(), reload: () => d.reload(), close: () => d.close() };
}

const EMPTY: DetectionStats = { cursor: 0, ready: false, hosts: 0, evictions: 0, alertsStored: 0, latency: { buckets: [], sum: 0, count: 0 } };

/** Detection on a worker thread with its own connection to the store `storeConfig` names; restarted if it dies. */
export async function threadDetection(storeConfig: StoreConfig, config: ServeConfig, sink: DetectionSink, store: Store): Promise<DetectionHandle> {
  const t = new DetectionThread(storeConfig, config, sink, store);
  await t.start();
  return t;
}

/** How long a detection thread that died is waited for before the next one starts (a thread that keeps dying backs off). */
const RESTART_MS = [100, 1000, 5000];

export class DetectionThread implements DetectionHandle {
  private w!: Worker;
  private last = EMPTY;
  private nextId = 1;
  private upTo = 0;
  private closing = false;
  private restarts = 0;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly storeConfig: StoreConfig, private readonly config: ServeConfig, private readonly sink: DetectionSink, private readonly store: Store) {}

  /** Starts a thread and resolves once it has opened its store and loaded its rules. */
  start(): Promise<void> {
    const ts = import.meta.url.endsWith('.ts');
    const url = new URL(ts ? './detect-thread.ts' : './detect-thread.js', import.meta.url);
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
    const workerData = { storeConfig: this.storeConfig, config: this.config };
    // from sources (tests, tsx): Node 20 does not carry the --import loader into worker threads, so the
    // thread registers tsx itself before loading the .ts entry
    const w = ts
      ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData, execArgv })
      : new Worker(fileURLToPath(url), { workerData, execArgv });
    this.w = w;
    return new Promise((resolve, reject) => {
      w.on('message', (m: FromDetect) => {
        if (m.t === 'started') {
          this.last = m.stats;
          if (this.upTo) w.postMessage({ t: 'committed', upTo: this.upTo } satisfies ToDetect);
          resolve();
        } else if (m.t === 'failed') reject(new Error(`detection thread: ${m.error}`));
        else this.onMessage(m);
      });
      w.on('error', (e) => { reject(e); this.sink.diagnostic({ code: 'SW9001', severity: 'error', message: `detection thread failed: ${e.message}` }); });
      w.on('exit', (code) => this.onExit(w, code));
    });
  }

  notify(upTo: number): void {
    if (upTo > this.upTo) this.upTo = upTo;
    this.w.postMessage({ t: 'committed', upTo } satisfies ToDetect);
  }

  stats(): DetectionStats { return this.last; }
  settle(): Promise<void> { return this.ask<DetectionStats>((id) => ({ t: 'settle', id })).then(() => undefined); }
  reload(): Promise<ReloadResult> { return this.ask<ReloadResult>((id) => ({ t: 'reload', id })); }

  async close(): Promise<void> {
    this.closing = true;
    await this.ask<null>((id) => ({ t: 'close', id }));
  }

  /** Ends the current thread as a crash would (tests): another one is started. */
  crash(): Promise<number> {
    return this.w.terminate();
  }

  private ask<T>(m: (id: number) => ToDetect): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.w.postMessage(m(id));
    });
  }

  private onMessage(m: FromDetect): void {
    const reply = (id: number, p: Promise<string[] | void>) => p.then((fresh) => this.w.postMessage({ t: 'committed-results', id, fresh: fresh ?? [] } satisfies ToDetect), (e) => this.w.postMessage({ t: 'committed-results', id, error: String((e as Error).message) } satisfies ToDetect));
    if (m.t === 'alerts') this.sink.alerts(m.items as StoredAlert[]);
    else if (m.t === 'diagnostic') this.sink.diagnostic(m.d);
    else if (m.t === 'stats') this.last = m.stats;
    else if (m.t === 'commit') reply(m.id, this.store.commitDetection(m.r));
    else if (m.t === 'snapshot') reply(m.id, this.store.putSnapshot(SNAPSHOT, m.seq, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength)));
    else if (m.t === 'reply') {
      const p = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error) p?.reject(new Error(m.error));
      else { if (m.value && typeof m.value === 'object' && 'cursor' in m.value) this.last = m.value as DetectionStats; p?.resolve(m.value); }
    }
  }

  /** A thread that ends while the server runs is replaced: the new one goes on from the stored snapshot and cursor. */
  private onExit(w: Worker, code: number): void {
    if (w !== this.w) return;
    const err = new Error(`detection thread exited (${code})`);
    for (const p of this.waiting.values()) p.reject(err);
    this.waiting.clear();
    if (this.closing) return;
    const wait = RESTART_MS[Math.min(this.restarts++, RESTART_MS.length - 1)];
    this.sink.diagnostic({ code: 'SW9001', severity: 'error', message: `detection thread exited (${code}): starting another in ${wait} ms (it goes on from the store)` });
    setTimeout(() => { this.start().catch((e) => this.sink.diagnostic({ code: 'SW9001', severity: 'error', message: `detection thread did not start again: ${(e as Error).message}` })); }, wait).unref();
  }
}
