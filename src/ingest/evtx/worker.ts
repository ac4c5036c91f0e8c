/** Worker thread entry: runs one task at a time and posts its batches back. */
import { parentPort } from 'node:worker_threads';
import { runTask, type EvtxTask } from './task.js';

parentPort?.on('message', (msg: { task: EvtxTask }) => {
  let batches;
  try {
    batches = runTask(msg.task);
  } catch (e) {
    parentPort?.postMessage({ error: String((e as Error)?.stack ?? e) });
    return;
  }
  parentPort?.postMessage({ batches });
});
