/**
 * Worker thread entry: runs one task at a time. With a reducer module, each batch is reduced here and
 * only the reductions travel back; results cross as one JSON string (cheaper than structured clone
 * of many small objects).
 */
import { parentPort } from 'node:worker_threads';
import type { ReadResult } from '../source.js';
import { runTask, type EvtxTask } from './task.js';

type Reduce = (batch: ReadResult[]) => unknown;
const reducers = new Map<string, Reduce>();

async function reducerFor(url: string): Promise<Reduce> {
  let fn = reducers.get(url);
  if (!fn) {
    fn = ((await import(url)) as { reduce: Reduce }).reduce;
    reducers.set(url, fn);
  }
  return fn;
}

// jobs run strictly one after another, in arrival order (the pool keeps two queued per worker)
let chain: Promise<void> = Promise.resolve();
parentPort?.on('message', (msg: { id: number; task: EvtxTask; reducer?: string }) => {
  chain = chain.then(async () => {
    try {
      const batches = runTask(msg.task);
      const out = msg.reducer ? batches.map(await reducerFor(msg.reducer)) : batches;
      parentPort?.postMessage({ id: msg.id, json: JSON.stringify(out) });
    } catch (e) {
      parentPort?.postMessage({ id: msg.id, error: String((e as Error)?.stack ?? e) });
    }
  });
});
