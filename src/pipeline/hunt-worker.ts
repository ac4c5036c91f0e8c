/**
 * Worker side of a parallel hunt (a child process, see parallel.ts). It gets its job at once and loads
 * the pipeline, mappings, lists and rules while the calling process lists the files; then it hunts
 * the folders it is handed, each on its own (hunt-here.ts: fresh lineage, detectors and accounting),
 * asks for more after each batch, and at the end sends its summary.
 *
 * Alerts and diagnostics go to stdout as lines: the rank of their file in the input order, a tab, the
 * JSON text (diagnostics start with `D`); parallel.ts reads them. The summary (IPC) says how many
 * bytes there were, so the calling process takes them as complete without waiting for the exit.
 */
import type { Alert, Diagnostic } from '../core/index.js';
import { huntHere, prepareHunt, type HuntSetup } from './hunt-here.js';
import { builtinDetectors } from './detectors.js';
import type { HuntOptions, Progress } from './options.js';
import { addProgress, type ToWorker, type WorkerJob } from './parallel.js';
import type { WorkItem } from './plan.js';
import { emptySummary, mergeSummaries, rankIn, type HuntSummary } from './summary.js';

const rank = new Map<string, number>();
const rankOf = rankIn(rank);
let out = '';
let bytes = 0;
const flush = () => {
  if (!out) return;
  const b = Buffer.from(out);
  bytes += b.length;
  process.stdout.write(b);
  out = '';
};
const line = (prefix: string, file: string | undefined, json: string) => {
  const r = file === undefined ? -1 : rank.get(file.split('!')[0]) ?? -1;
  out += `${prefix}${r}\t${json}\n`;
  if (out.length >= 1 << 16) flush();
};
const onAlert = (a: Alert) => line('', a.event.file, JSON.stringify(a));
const onDiagnostic = (d: Diagnostic) => line('D', d.location?.file, JSON.stringify(d));

/** Progress over every folder so far, at most every 200 ms. */
let done: Progress = { files: 0, records: 0, events: 0, alerts: 0, current: '' };
let lastSent = 0;
function progress(p: Progress | undefined): void {
  const now = Date.now();
  if (now - lastSent < 200) return;
  lastSent = now;
  process.send!({ progress: p ? addProgress(done, p) : done });
}

let job: WorkerJob | undefined;
let opts: HuntOptions | undefined;
let setup: Promise<HuntSetup> | undefined;
const queue: WorkItem[][] = [];
let ended = false;
let busy = false;
const parts: HuntSummary[] = [];
/** per host, the folders its events came from (a Map: host names are log data) */
const hostFolders = new Map<string, number>();

async function hunt(batch: WorkItem[]): Promise<void> {
  const su = await setup!;
  for (const item of batch) {
    item.files.forEach((f, i) => rank.set(f, item.ranks[i]));
    const s = await huntHere(item.files, opts!, onAlert, su);
    parts.push(s);
    for (const h of s.hosts) hostFolders.set(h, (hostFolders.get(h) ?? 0) + 1);
    done = addProgress(done, { files: s.files.length, records: s.records, events: s.events, alerts: s.alerts, current: done.current });
    if (job!.progress) progress(undefined);
  }
}

let finished = false;

async function finish(): Promise<void> {
  if (finished) return;
  finished = true;
  const su = await setup!;
  // a worker asked to report the loading problems does so even if it hunted nothing
  if (!su.reported) {
    su.reported = true;
    const s = emptySummary();
    for (const d of su.diagnostics) { onDiagnostic(d); s.diagnosticsByCode[d.code] = (s.diagnosticsByCode[d.code] ?? 0) + 1; }
    parts.push(s);
  }
  flush();
  const summary = mergeSummaries(parts, rankOf);
  // once stdout has taken everything (at once on a pipe here; asynchronous ones exist elsewhere)
  process.stdout.write('', () => process.send!({ summary, bytes, hostFolders: [...hostFolders] }, () => process.exit(0)));
}

/** Hunts what is queued, one batch after the other, asking for more after each. */
async function pump(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    while (queue.length) {
      await hunt(queue.shift()!);
      // with the bytes written so far: the batch's lines are all in once the caller has read that many
      flush();
      process.send!({ done: bytes });
    }
    if (ended) await finish();
  } catch (e) {
    process.send!({ error: (e as Error).stack ?? String(e) });
  } finally {
    busy = false;
  }
}

// the parent gone (killed, or done with us): nothing left to report to
process.on('disconnect', () => process.exit(0));
process.on('message', (m: ToWorker) => {
  if ('job' in m) {
    job = m.job;
    opts = {
      detectors: builtinDetectors(job.detectors), minLevel: job.minLevel, rules: job.rules, knownGood: job.knownGood, onDiagnostic,
      onProgress: job.progress ? (p) => progress(p) : undefined,
    };
    setup = prepareHunt(opts).then((su) => { if (!m.reportSetup) su.reported = true; return su; });
    setup.catch(() => {}); // reported when there is work
  } else if ('items' in m) {
    queue.push(m.items);
    void pump();
  } else if ('end' in m) {
    ended = true;
    void pump();
  }
});
