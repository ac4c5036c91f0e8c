// Child process of bench/sigma.ts: loads every SigmaHQ rule once and prints seconds and resident memory
// (a fresh process, so the figure is not polluted by the bench's own events and engines).
// argv: nocache | cache <dir> | none (measures the process without loading). Resident memory is read
// after a full collection when the process runs with --expose-gc (bench/sigma.ts runs it so).
import { loadRules } from '../src/detect/sigma/index.js';
import { SIGMA_RULE_DIRS } from '../test/sigma/helpers/regression.js';

const [mode, dir] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const r = mode === 'none' ? null : loadRules([...SIGMA_RULE_DIRS], { cache: mode === 'cache' ? dir : false });
const s = Number(process.hrtime.bigint() - t0) / 1e9;
(globalThis as { gc?: () => void }).gc?.();
console.log(JSON.stringify({ s, rssMB: process.memoryUsage().rss / 1e6, rules: r?.rules.length ?? 0, documents: r?.listing.length ?? 0 }));
