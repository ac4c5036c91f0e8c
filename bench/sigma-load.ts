// Child process of bench/sigma.ts: loads every SigmaHQ rule once and prints seconds and resident memory
// (a fresh process, so the figure is not polluted by the bench's own events and engines).
// argv: nocache | cache <dir> | none (measures the process without loading). Resident memory is read
// after a full collection when the process runs with --expose-gc (bench/sigma.ts runs it so): `rssMB`
// right after it, `rssSettledMB` 1 s and another collection later (pages the collection freed are
// returned to the system by a background thread, later when the machine is busy), `heapMB` the V8
// heap in use then.
import { loadRules } from '../src/detect/sigma/index.js';
import { SIGMA_RULE_DIRS } from '../test/sigma/helpers/regression.js';

const gc = (globalThis as { gc?: () => void }).gc;
const [mode, dir] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const r = mode === 'none' ? null : loadRules([...SIGMA_RULE_DIRS], { cache: mode === 'cache' ? dir : false });
const s = Number(process.hrtime.bigint() - t0) / 1e9;
gc?.();
const rssMB = process.memoryUsage().rss / 1e6;
await new Promise((done) => setTimeout(done, 1000));
gc?.();
const m = process.memoryUsage();
const mb = (n: number) => Math.round(n / 1e5) / 10;
console.log(JSON.stringify({ s, rssMB, rssSettledMB: mb(m.rss), heapMB: mb(m.heapUsed), rules: r?.rules.length ?? 0, documents: r?.listing.length ?? 0 }));
