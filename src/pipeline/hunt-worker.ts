/**
 * Worker side of a parallel hunt (a child process, see parallel.ts): loads the pipeline while the
 * parent plans, then runs it over the files it is sent and reports alerts (JSON, in batches) and
 * its summary.
 */
import type { Alert } from '../core/index.js';
import { defaultDetectors } from './detectors.js';
import { hunt } from './hunt.js';
import type { WorkerJob } from './parallel.js';

async function main(job: WorkerJob, files: string[]): Promise<void> {
  let batch: string[] = [];
  let from: string[] = [];
  const send = () => {
    if (batch.length) process.send!({ alerts: batch, files: from });
    batch = [];
    from = [];
  };
  const detectors = job.builtin ? defaultDetectors() : [];
  const summary = await hunt(files, { detectors, minLevel: job.minLevel, rules: job.rules, knownGood: job.knownGood }, (a: Alert) => {
    batch.push(JSON.stringify(a));
    // the outer file (an archive's entries sort with the archive)
    from.push(a.event.file.split('!')[0]);
    if (batch.length >= 500) send();
  });
  send();
  process.send!({ summary });
}

// the parent gone (killed, or done with us): nothing left to report to
process.on('disconnect', () => process.exit(0));
process.once('message', (m: { job: WorkerJob; files: string[] }) => {
  main(m.job, m.files).catch((e: Error) => process.send!({ error: e.stack ?? String(e) }));
});
