/** Worker thread entry: parses byte ranges of EVTX files and posts the results back in order. */
import { parentPort } from 'node:worker_threads';
import { runTask, type EvtxTask } from './task.js';

parentPort?.on('message', (msg: { id: number; task: EvtxTask }) => {
  let batches;
  try {
    batches = runTask(msg.task);
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: String((e as Error)?.stack ?? e) });
    return;
  }
  parentPort?.postMessage({ id: msg.id, batches });
});
