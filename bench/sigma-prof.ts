// Profiling driver (not part of the bench): evaluation loop over process-creation lines for
// `node --cpu-prof --import tsx bench/sigma-prof.ts [pc|all] [seconds] [unique]`.
import type { RawRecord } from '../src/core/index.js';
import { createEngine, loadRules } from '../src/detect/sigma/index.js';
import { SIGMA_RULE_DIRS } from '../test/sigma/helpers/regression.js';
import { processCreationLines } from './sigma.js';

const [which = 'pc', secs = '5', uniq = ''] = process.argv.slice(2);
const all = loadRules([...SIGMA_RULE_DIRS]);
const rules = which === 'all' ? all.rules : all.rules.filter((r) => r.kind === 'rule' && r.logsource.category === 'process_creation' && r.logsource.product === 'windows');
const lines = processCreationLines(20000, uniq === 'unique');
const e = createEngine(rules);
const t0 = Date.now();
let n = 0, hits = 0;
const tp = process.hrtime.bigint();
for (const l of lines) JSON.parse(l);
const parseS = Number(process.hrtime.bigint() - tp) / 1e9;
while (Date.now() - t0 < Number(secs) * 1000) { for (const l of lines) hits += e.match(JSON.parse(l) as RawRecord).length; n += lines.length; }
const s = (Date.now() - t0) / 1000;
console.log(JSON.stringify({ rules: rules.length, events: n, rate: Math.round(n / s), parseRate: Math.round(lines.length / parseS), hits }));
