// EVTX parse throughput against Debian's `evtxexport -f xml` on the same files in the same run
// (warm cache), and one vs two worker threads over a folder. One JSON object per line.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mapEvtxFiles, parseEvtxBuffer } from '../src/ingest/evtx/index.js';
import { corpusEvtxFiles } from '../test/evtx/differential.js';

export interface BenchLine {
  bench: string;
  case: string;
  metric: string;
  value: number;
  baseline: number | null;
  ratio: number | null;
}

function countRecords(files: string[]): number {
  let n = 0;
  for (const f of files) for (const b of parseEvtxBuffer(readFileSync(f), f)) for (const r of b) if (r.record) n++;
  return n;
}

/** Best-of-`reps` seconds for `fn` (after one warm-up run). */
function best(reps: number, fn: () => void): number {
  fn();
  let t = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    t = Math.min(t, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return t;
}

/** Seconds for evtxexport to render every file as XML (output discarded), best of `reps`. */
function evtxexportSeconds(files: string[], reps: number): number | null {
  if (spawnSync('evtxexport', ['-V'], { stdio: 'ignore' }).status !== 0) return null;
  return best(reps, () => {
    for (const f of files) spawnSync('evtxexport', ['-f', 'xml', f], { stdio: 'ignore' });
  });
}

/** Ours: read each file from the (warm) page cache and parse it, one thread. */
function oursSeconds(files: string[], reps: number): number {
  return best(reps, () => {
    for (const f of files) for (const b of parseEvtxBuffer(readFileSync(f), f)) void b;
  });
}

function line(c: string, records: number, ours: number, base: number | null): BenchLine {
  const value = Math.round(records / ours);
  const baseline = base === null ? null : Math.round(records / base);
  return { bench: 'evtx-parse', case: c, metric: 'records/s', value, baseline, ratio: baseline ? Math.round((value / baseline) * 10) / 10 : null };
}

const REDUCER = new URL('./evtx-reducer.ts', import.meta.url);

/** Seconds to parse `files` in `threads` workers, each batch reduced in the worker (bench/evtx-reducer.ts). */
async function threadsSeconds(files: string[], threads: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for await (const r of mapEvtxFiles(files, REDUCER, { threads })) void r;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Runs the EVTX benchmarks; returns the lines it printed. */
export async function runEvtxBench(print = true): Promise<BenchLine[]> {
  const all = corpusEvtxFiles();
  const bySize = [...all].sort((a, b) => statSync(b).size - statSync(a).size);
  const withCounts = all.map((f) => ({ f, n: countRecords([f]) })).sort((a, b) => b.n - a.n);
  const largest = withCounts.slice(0, 5).map((x) => x.f);
  const small = bySize.filter((f) => statSync(f).size <= 0x1000 + 0x10000);
  const out: BenchLine[] = [];
  const emit = (l: BenchLine): void => {
    out.push(l);
    if (print) console.log(JSON.stringify(l));
  };
  for (const [name, files, reps] of [['largest-files', largest, 5], ['many-small-files', small, 3]] as const) {
    const records = countRecords([...files]);
    emit(line(`${name} (${files.length} files, ${records} records)`, records, oursSeconds([...files], reps), evtxexportSeconds([...files], reps)));
  }
  // a folder big enough to amortize worker start-up: the corpus listed twenty times
  const folder = Array.from({ length: 20 }, () => all).flat();
  const records = countRecords(all) * 20;
  const one = Math.min(await threadsSeconds(folder, 1), await threadsSeconds(folder, 1));
  const two = Math.min(await threadsSeconds(folder, 2), await threadsSeconds(folder, 2));
  const l = line(`corpus folder x20 (${folder.length} files, ${records} records): two workers vs one`, records, two, one);
  emit({ ...l, bench: 'evtx-workers' });
  return out;
}

if (process.argv[1]?.endsWith('evtx.ts')) await runEvtxBench();
