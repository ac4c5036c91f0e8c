/**
 * The detection thread of `serve`: its own store connection and the Detection loop (detection.ts), so
 * detection and its commits never hold up the thread that reads, commits and acknowledges deliveries.
 * Messages in: committed (up to a seq), reload, settle, close. Out: alerts, diagnostics, stats, replies.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/index.js';
import type { DetectionCommit, StoreConfig } from '../../store/contract.js';
import type { ServeConfig } from './config.js';
import { Detection } from './detection.js';
import type { FromDetect, ToDetect } from './detect-messages.js';

const port = parentPort!;
const CHECKPOINT_EVERY_MS = 1000;
const { storeConfig, config } = workerData as { storeConfig: StoreConfig; config: ServeConfig };
const post = (m: FromDetect) => port.postMessage(m);

/** Results go to the ingest thread, which writes them on the one connection that writes. */
let commitId = 0;
const commits = new Map<number, { resolve(ids: string[]): void; reject(e: Error): void }>();
const commit = (r: DetectionCommit) => new Promise<string[]>((resolve, reject) => {
  const id = ++commitId;
  commits.set(id, { resolve, reject });
  post({ t: 'commit', id, r });
});
/** Snapshots too: the bytes are moved to the ingest thread, not copied. */
const snapshot = (seq: number, data: Buffer) => new Promise<void>((resolve, reject) => {
  const id = ++commitId;
  commits.set(id, { resolve: () => resolve(), reject });
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  port.postMessage({ t: 'snapshot', id, seq, data: bytes } satisfies FromDetect, [bytes.buffer as ArrayBuffer]);
});

async function main(): Promise<void> {
  const store = await openStore(storeConfig);
  const detection = await Detection.open(store, config, {
    alerts: (items) => post({ t: 'alerts', items }),
    diagnostic: (d) => post({ t: 'diagnostic', d }),
    commit,
    snapshot,
  });
  // stats after every pass would flood the channel: a few times a second, and when asked
  const timer = setInterval(() => post({ t: 'stats', stats: detection.stats() }), 250);
  timer.unref();
  // the ingest thread's connection does not checkpoint the WAL (it would stall acknowledgements): this one does
  const checkpoints = setInterval(() => { void store.checkpoint().catch((e) => post({ t: 'diagnostic', d: { code: 'SW6012', severity: 'error', message: `WAL checkpoint failed: ${(e as Error).message}` } })); }, CHECKPOINT_EVERY_MS);
  checkpoints.unref();
  port.on('message', (m: ToDetect) => {
    if (m.t === 'committed') detection.notify(m.upTo);
    else if (m.t === 'committed-results') {
      const c = commits.get(m.id);
      commits.delete(m.id);
      if (m.error !== undefined) c?.reject(new Error(m.error));
      else c?.resolve(m.fresh ?? []);
    }
    else if (m.t === 'settle') void detection.settle().then(() => post({ t: 'reply', id: m.id, value: detection.stats() }));
    else if (m.t === 'reload') void detection.reload().then((value) => post({ t: 'reply', id: m.id, value }), (e) => post({ t: 'reply', id: m.id, error: String((e as Error).message) }));
    else if (m.t === 'close') {
      void detection.close().then(async () => {
        clearInterval(timer);
        clearInterval(checkpoints);
        post({ t: 'stats', stats: detection.stats() });
        await store.close();
        post({ t: 'reply', id: m.id, value: null });
        port.close();
      });
    }
  });
  post({ t: 'started', stats: detection.stats() });
}

main().catch((e) => post({ t: 'failed', error: String((e as Error).stack ?? e) }));
