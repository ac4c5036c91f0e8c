/**
 * `npm run bench`: every benchmark, one JSON object per result line. BENCH_ONLY selects among hunt,
 * hunt-evtx, hunt-evtx-corpus, hunt-evtx-threads, evtx, lineage-memory, sigma (hunt-evtx is the other
 * two hunt-evtx ones: the corpus against evtxexport, then two cores vs one; BENCH_LOCK=FILE flocks
 * each run of the latter; BENCH_HUNT_COPIES sets its folder's size).
 */
import { runEvtxBench } from './evtx.js';
import { runHuntBench } from './hunt.js';
import { runHuntEvtxBench, runHuntEvtxCorpusBench, runHuntEvtxThreadsBench } from './hunt-evtx.js';
import { runLineageMemoryBench } from './lineage-memory.js';
import { runServeLatencyBench } from './serve-latency.js';
import { runSigmaBench } from './sigma.js';

const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const want = (name: string) => !only.length || only.includes(name);

if (want('hunt')) await runHuntBench();
if (want('hunt-evtx')) await runHuntEvtxBench();
else {
  if (want('hunt-evtx-corpus')) await runHuntEvtxCorpusBench();
  if (want('hunt-evtx-threads')) runHuntEvtxThreadsBench();
}
if (want('evtx')) await runEvtxBench();
if (want('lineage-memory')) await runLineageMemoryBench();
if (want('sigma')) for (const l of runSigmaBench()) console.log(JSON.stringify(l));
if (want('serve-latency')) await runServeLatencyBench();
