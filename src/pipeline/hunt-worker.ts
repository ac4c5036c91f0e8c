/**
 * Worker side of a parallel hunt (a child process, see parallel.ts): loads the pipeline while the
 * parent plans, then runs it over the files it is sent and reports alerts (JSON lines on stdout)
 * and its summary (IPC).
 */
import type { Alert } from '../core/index.js';
import { huntHere, prepareHunt, type HuntSetup } from './hunt-here.js';
import type { WorkerJob } from './parallel.js';

type Options = Parameters<typeof huntHere>[1];

const optionsOf = (job: WorkerJob): Options => ({
  detectors: job.builtin ? 'builtin' : [], minLevel: job.minLevel, rules: job.rules, knownGood: job.knownGood,
  onProgress: job.progress ? (progress) => process.send!({ progress }) : undefined,
});

async function main(opts: Options, setup: Promise<HuntSetup>, files: string[]): Promise<void> {
  // alerts go to stdout as lines "index of the file in `files` TAB alert JSON" (parallel.ts reads
  // them). The summary says how many bytes there were: the calling process takes the
  // alerts as complete once it has them all, without waiting for this process to exit.
  const index = new Map(files.map((f, i) => [f, i]));
  let out = '';
  let bytes = 0;
  const flush = () => {
    if (!out) return;
    const b = Buffer.from(out);
    bytes += b.length;
    process.stdout.write(b);
    out = '';
  };
  const summary = await huntHere(files, opts, (a: Alert) => {
    out += `${index.get(a.event.file.split('!')[0]) ?? -1}\t${JSON.stringify(a)}\n`;
    if (out.length >= 1 << 16) flush();
  }, await setup);
  flush();
  // once stdout has taken everything (at once on a pipe here; asynchronous ones exist elsewhere)
  process.stdout.write('', () => process.send!({ summary, bytes }, () => process.exit(0)));
}

// the parent gone (killed, or done with us): nothing left to report to
process.on('disconnect', () => process.exit(0));
// first the job: its detectors, lists and rules load while the calling process lists the files; then
// the files
let job: { opts: Options; setup: Promise<HuntSetup> } | undefined;
process.on('message', (m: { job?: WorkerJob; files?: string[] }) => {
  if (m.job) {
    const opts = optionsOf(m.job);
    job = { opts, setup: prepareHunt(opts) };
    job.setup.catch(() => {}); // reported when the files come
  } else if (m.files && job) {
    main(job.opts, job.setup, m.files).catch((e: Error) => process.send!({ error: e.stack ?? String(e) }));
  }
});
