/** Worker side of a parallel hunt: runs the whole pipeline over the files it was given. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Alert } from '../core/index.js';
import { defaultDetectors } from './detectors.js';
import { hunt } from './hunt.js';
import type { WorkerJob } from './parallel.js';

async function main(): Promise<void> {
  const job = workerData as WorkerJob;
  let batch: string[] = [];
  const send = () => {
    if (batch.length) parentPort!.postMessage({ alerts: batch });
    batch = [];
  };
  const summary = await hunt(job.files, { detectors: job.builtin ? defaultDetectors() : [], minLevel: job.minLevel, rules: job.rules, knownGood: job.knownGood }, (a: Alert) => {
    batch.push(JSON.stringify(a));
    if (batch.length >= 500) send();
  });
  send();
  parentPort!.postMessage({ summary });
}

main().catch((e: Error) => parentPort!.postMessage({ error: e.stack ?? String(e) }));
