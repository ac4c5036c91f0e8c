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

/** Detection on a worker thread with its own connection to the store `storeConfig` names. */
export function threadDetection(storeConfig: StoreConfig, config: ServeConfig, sink: DetectionSink, store: Store): Promise<DetectionHandle> {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(ts ? './detect-thread.ts' : './detect-thread.js', import.meta.url);
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
  // from sources (tests, tsx): Node 20 does not carry the --import loader into worker threads, so the
  // thread registers tsx itself before loading the .ts entry
  const w = ts
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: { storeConfig, config }, execArgv })
    : new Worker(fileURLToPath(url), { workerData: { storeConfig, config }, execArgv });
  let stats = EMPTY;
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const ask = <T>(m: (id: number) => ToDetect): Promise<T> => new Promise<T>((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    w.postMessage(m(id));
  });
  return new Promise((resolve, reject) => {
    w.on('message', (m: FromDetect) => {
      if (m.t === 'alerts') sink.alerts(m.items as StoredAlert[]);
      else if (m.t === 'diagnostic') sink.diagnostic(m.d);
      else if (m.t === 'stats') stats = m.stats;
      else if (m.t === 'snapshot') {
        store.putSnapshot(SNAPSHOT, m.seq, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength)).then(() => w.postMessage({ t: 'committed-results', id: m.id, fresh: [] } satisfies ToDetect), (e) => w.postMessage({ t: 'committed-results', id: m.id, error: String((e as Error).message) } satisfies ToDetect));
      } else if (m.t === 'commit') {
        store.commitDetection(m.r).then((fresh) => w.postMessage({ t: 'committed-results', id: m.id, fresh } satisfies ToDetect), (e) => w.postMessage({ t: 'committed-results', id: m.id, error: String((e as Error).message) } satisfies ToDetect));
      }
      else if (m.t === 'reply') {
        const p = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.error) p?.reject(new Error(m.error));
        else { if (m.value && typeof m.value === 'object' && 'cursor' in m.value) stats = m.value as DetectionStats; p?.resolve(m.value); }
      } else if (m.t === 'failed') reject(new Error(`detection thread: ${m.error}`));
      else if (m.t === 'started') {
        stats = m.stats;
        resolve({
          notify: (upTo) => w.postMessage({ t: 'committed', upTo } satisfies ToDetect),
          stats: () => stats,
          settle: () => ask<DetectionStats>((id) => ({ t: 'settle', id })).then(() => undefined),
          reload: () => ask<ReloadResult>((id) => ({ t: 'reload', id })),
          close: () => ask<null>((id) => ({ t: 'close', id })).then(() => undefined),
        });
      }
    });
    w.on('error', (e) => { reject(e); for (const p of waiting.values()) p.reject(e); waiting.clear(); sink.diagnostic({ code: 'SW9001', severity: 'error', message: `detection thread failed: ${e.message}` }); });
    w.on('exit', (code) => { for (const p of waiting.values()) p.reject(new Error(`detection thread exited (${code})`)); waiting.clear(); });
  });
}
