/**
 * Worker side of a parallel hunt (a child process, see parallel.ts): loads the pipeline while the
 * parent plans, then runs it over the files it is sent and reports alerts (JSON lines on stdout)
 * and its summary (IPC).
 */
import type { Alert } from '../core/index.js';
import { defaultDetectors } from './detectors.js';
import { hunt } from './hunt.js';
import type { WorkerJob } from './parallel.js';

async function main(job: WorkerJob, files: string[]): Promise<void> {
  // alerts go to stdout as lines "index of the file in `files` TAB alert JSON" (parallel.ts reads
  // them); stdout is a pipe, which Node writes synchronously, so all of it is out before the summary
  const index = new Map(files.map((f, i) => [f, i]));
  let out = '';
  const flush = () => {
    if (out) process.stdout.write(out);
    out = '';
  };
  const detectors = job.builtin ? defaultDetectors() : [];
  const summary = await hunt(files, { detectors, minLevel: job.minLevel, rules: job.rules, knownGood: job.knownGood }, (a: Alert) => {
    out += `${index.get(a.event.file.split('!')[0]) ?? -1}\t${JSON.stringify(a)}\n`;
    if (out.length >= 1 << 16) flush();
  });
  flush();
  process.send!({ summary });
}

// the parent gone (killed, or done with us): nothing left to report to
process.on('disconnect', () => process.exit(0));
process.once('message', (m: { job: WorkerJob; files: string[] }) => {
  main(m.job, m.files).catch((e: Error) => process.send!({ error: e.stack ?? String(e) }));
});
