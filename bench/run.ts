/** `npm run bench`: every benchmark, one JSON object per result line. BENCH_ONLY=hunt,evtx,sigma selects. */
import { runHuntBench } from './hunt.js';

const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const want = (name: string) => !only.length || only.includes(name);

if (want('hunt')) await runHuntBench();
