/**
 * Hunt throughput: a large NDJSON file resampled from the corpus (OTRF Windows datasets), measured
 * in one run as (a) reading + JSON.parse alone, the baseline, and (b) the full hunt with the built-in
 * alerts. Prints one JSON object per result line.
 */
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { readAll } from '../src/ingest/read.js';
import { defaultDetectors, hunt } from '../src/pipeline/index.js';
import type { ReadResult } from '../src/ingest/source.js';
import { corpusPath } from '../test/helpers/corpus.js';

/** Deterministic PRNG (mulberry32) so every run resamples the same events. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Collects the corpus's flat Windows JSON records once, then writes `n` resampled lines. */
export async function makeDataset(n: number): Promise<string> {
  const file = join(tmpdir(), `shellwatch-bench-${n}.ndjson`);
  if (existsSync(file) && statSync(file).size > 0) return file;
  const pool: Record<string, unknown>[] = [];
  for await (const it of readAll([corpusPath('otrf-security-datasets', 'datasets', 'atomic', 'windows'), corpusPath('otrf-security-datasets', 'datasets', 'compound', 'Log4Shell')])) {
    if ('results' in it) for (const r of it.results as ReadResult[]) if (r.record?.format === 'json-flat') pool.push({ ...r.record.data, EventID: r.record.system.eventId });
  }
  const rand = rng(20260301);
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    const rec = { ...pool[Math.floor(rand() * pool.length)], RecordNumber: i + 1 };
    if (!out.write(JSON.stringify(rec) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

/** Baseline: stream the file, split lines, JSON.parse each. */
async function parseOnly(file: string): Promise<number> {
  let n = 0;
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (l) { JSON.parse(l); n++; }
  }
  if (rest) { JSON.parse(rest); n++; }
  return n;
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const v = await f();
  return [v, Number(process.hrtime.bigint() - t0) / 1e9];
}

export async function runHuntBench(n = Number(process.env.BENCH_EVENTS ?? 200_000)): Promise<void> {
  const file = await makeDataset(n);
  await parseOnly(file); // warm the page cache
  const [count, base] = await timed(() => parseOnly(file));
  const [summary, full] = await timed(() => hunt([file], { detectors: defaultDetectors() }, () => {}));
  const baseRate = count / base;
  const readOnly = await timed(async () => {
    let k = 0;
    for await (const it of readAll([file])) if ('results' in it) k += (it.results as ReadResult[]).length;
    return k;
  });
  const line = (bench: string, value: number) =>
    console.log(JSON.stringify({ bench, metric: 'events/s', value: Math.round(value), baseline: Math.round(baseRate), ratio: Number((value / baseRate).toFixed(3)), events: count }));
  line('json-read', readOnly[0] / readOnly[1]);
  line('hunt-ndjson', summary.events / full);
}
