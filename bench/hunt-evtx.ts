// Full hunt (read, normalize, lineage, the six built-in alerts) over every corpus .evtx, against
// Debian's `evtxexport -f xml` merely parsing the same files, in the same run. One JSON line.
import { spawnSync } from 'node:child_process';
import { defaultDetectors, hunt } from '../src/pipeline/index.js';
import { corpusEvtxFiles } from '../test/evtx/differential.js';
import { compiledPipeline, measureThreads, scratchFolder, type ThreadRun } from './hunt-threads.js';

async function huntSeconds(files: string[], threads = 1): Promise<{ secs: number; events: number }> {
  const t0 = process.hrtime.bigint();
  const s = await hunt(files, { detectors: defaultDetectors(), threads }, () => {});
  return { secs: Number(process.hrtime.bigint() - t0) / 1e9, events: s.events };
}

/** Both hunt-evtx benches: the corpus against evtxexport, then two cores against one. */
export async function runHuntEvtxBench(): Promise<void> {
  await runHuntEvtxCorpusBench();
  runHuntEvtxThreadsBench();
}

/** One thread over every corpus .evtx, warm, against evtxexport parsing the same files. */
export async function runHuntEvtxCorpusBench(): Promise<void> {
  const files = corpusEvtxFiles();
  await huntSeconds(files); // warm-up: page cache and JIT
  let best = { secs: Infinity, events: 0 };
  for (let i = 0; i < 3; i++) {
    const r = await huntSeconds(files);
    if (r.secs < best.secs) best = r;
  }
  let base: number | null = null;
  if (spawnSync('evtxexport', ['-V'], { stdio: 'ignore' }).status === 0) {
    for (const f of files) spawnSync('evtxexport', ['-f', 'xml', f], { stdio: 'ignore' });
    const t0 = process.hrtime.bigint();
    for (const f of files) spawnSync('evtxexport', ['-f', 'xml', f], { stdio: 'ignore' });
    base = Number(process.hrtime.bigint() - t0) / 1e9;
  }
  const value = Math.round(best.events / best.secs);
  const baseline = base === null ? null : Math.round(best.events / base);
  console.log(JSON.stringify({ bench: 'hunt-evtx', case: `${files.length} corpus files, ${best.events} records`, metric: 'events/s', value, baseline, ratio: baseline ? Number((value / baseline).toFixed(2)) : null }));
}

/**
 * Two cores vs one: the corpus EVTX replicated BENCH_HUNT_COPIES times (default 30, ~230 000 events,
 * some 6 s on one thread), three uncontended fresh-process runs of each case, medians compared:
 * `--threads 2` on both cores against `--threads 1` pinned to one core (the target: two cores vs one
 * core) and against `--threads 1` unpinned (which also keeps part of the second core busy with V8's
 * background threads).
 */
export function runHuntEvtxThreadsBench(): void {
  const copies = Number(process.env.BENCH_HUNT_COPIES ?? 30);
  const folder = scratchFolder(copies);
  const pipeline = compiledPipeline();
  const cases = [{ name: 'one core', threads: 1, oneCore: true }, { name: 'one thread', threads: 1 }, { name: 'two cores', threads: 2 }];
  const runs = measureThreads(pipeline, folder, cases, 3);
  const median = (v: ThreadRun[]) => [...v].sort((a, b) => a.wall - b.wall)[v.length >> 1];
  const [core, thread, two] = cases.map((c) => median(runs.get(c.name)!));
  if (!core || !thread || !two) { console.error('bench: no uncontended runs'); return; }
  const eps = (r: ThreadRun) => Math.round(r.events / r.wall);
  const show = (v: ThreadRun[]) => v.map((r) => ({ eventsPerSec: eps(r), wall: +r.wall.toFixed(2), cores: +(r.cpu / r.wall).toFixed(2), others: +r.others.toFixed(2), alerts: r.alerts }));
  const ratio = (a: ThreadRun, b: ThreadRun) => Number((a.wall / b.wall).toFixed(2));
  const at = `corpus EVTX x${copies} (${two.events} events), fresh process per run, median of ${runs.get('two cores')!.length}`;
  console.log(JSON.stringify({ bench: 'hunt-evtx-threads', case: `${at}: --threads 2 vs --threads 1 on one core (taskset)`, metric: 'events/s', value: eps(two), baseline: eps(core), ratio: ratio(core, two), one: show(runs.get('one core')!), two: show(runs.get('two cores')!) }));
  console.log(JSON.stringify({ bench: 'hunt-evtx-threads', case: `${at}: --threads 2 vs --threads 1, both unpinned`, metric: 'events/s', value: eps(two), baseline: eps(thread), ratio: ratio(thread, two), one: show(runs.get('one thread')!) }));
}

if (process.argv[1]?.endsWith('hunt-evtx.ts')) {
  if (process.env.BENCH_ONLY === 'hunt-evtx-threads') runHuntEvtxThreadsBench();
  else if (process.env.BENCH_ONLY === 'hunt-evtx-corpus') await runHuntEvtxCorpusBench();
  else await runHuntEvtxBench();
}
