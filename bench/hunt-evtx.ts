// Full hunt (read, normalize, lineage, the six built-in alerts) over every corpus .evtx, against
// Debian's `evtxexport -f xml` merely parsing the same files, in the same run. One JSON line.
import { spawnSync } from 'node:child_process';
import { defaultDetectors, hunt } from '../src/pipeline/index.js';
import { corpusEvtxFiles } from '../test/evtx/differential.js';

async function huntSeconds(files: string[], threads = 1): Promise<{ secs: number; events: number }> {
  const t0 = process.hrtime.bigint();
  const s = await hunt(files, { detectors: defaultDetectors(), threads }, () => {});
  return { secs: Number(process.hrtime.bigint() - t0) / 1e9, events: s.events };
}

export async function runHuntEvtxBench(): Promise<void> {
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
  // two cores vs one on the same folder (files grouped by host over two workers)
  let two = Infinity;
  for (let i = 0; i < 3; i++) two = Math.min(two, (await huntSeconds(files, 2)).secs);
  const v2 = Math.round(best.events / two);
  console.log(JSON.stringify({ bench: 'hunt-evtx-threads', case: 'two workers vs one thread', metric: 'events/s', value: v2, baseline: value, ratio: Number((v2 / value).toFixed(2)) }));
}

if (process.argv[1]?.endsWith('hunt-evtx.ts')) await runHuntEvtxBench();
