/**
 * Worker side of a parallel hunt: loads the pipeline (while the calling thread plans), then runs it
 * over the files it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Alert } from '../core/index.js';
import { defaultDetectors } from './detectors.js';
import { hunt } from './hunt.js';
import type { WorkerJob } from './parallel.js';

const job = workerData as WorkerJob;
const detectors = job.builtin ? defaultDetectors() : [];

async function main(files: string[]): Promise<void> {
  let batch: string[] = [];
  const send = () => {
    if (batch.length) parentPort!.postMessage({ alerts: batch });
    batch = [];
  };
  const summary = await hunt(files, { detectors, minLevel: job.minLevel, rules: job.rules, knownGood: job.knownGood }, (a: Alert) => {
    batch.push(JSON.stringify(a));
    if (batch.length >= 500) send();
  });
  send();
  parentPort!.postMessage({ summary });
}

parentPort!.once('message', (m: { files: string[] }) => {
  main(m.files).catch((e: Error) => parentPort!.postMessage({ error: e.stack ?? String(e) }));
});
