/**
 * Bytes allocated per event by a one-thread hunt over the corpus EVTX (evtx-attack-samples and
 * hayabusa-sample-evtx), attributed to the functions that allocate them: V8's sampling heap profiler
 * (one sample per 512 bytes on average, objects later collected included) over three warm hunts.
 * `node --import tsx bench/hunt-alloc.ts [TOP]` prints one JSON line: the total per event and the TOP
 * (default 25) allocation sites, self bytes per event. Per-run setup (mappings, catalogs) is counted
 * too, spread over the ~7,700 events of a run. Allocation is what keeps V8's GC helper threads busy
 * beside the hunt (docs/evtx.md, "Two cores").
 */
import { Session } from 'node:inspector/promises';
import { defaultDetectors, hunt } from '../src/pipeline/index.js';
import { corpusPath } from '../test/helpers/corpus.js';

interface ProfileNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: ProfileNode[] }

const folders = [corpusPath('evtx-attack-samples'), corpusPath('hayabusa-sample-evtx')];
const run = () => hunt(folders, { detectors: defaultDetectors(), threads: 1 }, () => {});
const top = Number(process.argv[2] ?? 25);

await run();
await run(); // warm: modules loaded, functions optimised, decode cache filled as in a long hunt
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
let events = 0;
for (let i = 0; i < 3; i++) events += (await run()).events;
const { profile } = await session.post('HeapProfiler.stopSampling');
session.disconnect();

const bySite = new Map<string, number>();
let total = 0;
const walk = (n: ProfileNode): void => {
  const f = n.callFrame;
  // under tsx every function reports line 0 (the transpiled module): the file names the site
  const site = `${f.functionName || '(anonymous)'}${f.url ? ` ${f.url.split('/').slice(-2).join('/')}` : ''}${f.lineNumber > 0 ? `:${f.lineNumber + 1}` : ''}`;
  total += n.selfSize;
  bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
  for (const c of n.children) walk(c);
};
walk(profile.head as ProfileNode);
const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top).map(([site, bytes]) => ({ site, bytesPerEvent: Math.round(bytes / events) }));
console.log(JSON.stringify({ bench: 'hunt-alloc', case: `corpus EVTX, ${events / 3} events, 3 warm hunts`, metric: 'bytes/event', value: Math.round(total / events), sites }));
