// Import-boundary and circular-import check over src/ (see docs/architecture.md).
//  - core imports nothing else from src/;
//  - a stage (ingest, normalize, lineage, decode, detect, enrich, respond, cases, store, bus)
//    imports core and itself only;
//  - pipeline wires stages; faces (cli, api) import pipeline and core (cli may start the api face).
// Any import cycle between files of src/ is an error too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const root = 'src';
const allowed = {
  core: ['core'],
  pipeline: ['*'],
  cli: ['cli', 'pipeline', 'core', 'api'],
  api: ['api', 'pipeline', 'core'],
};
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) files.push(p);
  }
})(root);

const importRe = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm;
const stageOf = (f) => relative(root, f).split(sep)[0].replace(/\.ts$/, '');
const graph = new Map();
const errors = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const deps = [];
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec || !spec.startsWith('.')) continue;
    const target = normalize(join(dirname(f), spec)).replace(/\.js$/, '.ts');
    deps.push(target);
    const from = stageOf(f);
    const to = stageOf(target);
    const ok = allowed[from] ?? [from, 'core'];
    if (!ok.includes('*') && !ok.includes(to)) errors.push(`${f}: stage '${from}' may not import '${to}' (${spec})`);
  }
  graph.set(f, deps);
}
// Tarjan's strongly connected components: any component with more than one file is a cycle.
let index = 0;
const idx = new Map(), low = new Map(), onStack = new Set(), stack = [];
function strong(v) {
  idx.set(v, index); low.set(v, index); index++;
  stack.push(v); onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do { w = stack.pop(); onStack.delete(w); comp.push(w); } while (w !== v);
    if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) errors.push(`import cycle: ${comp.sort().join(' -> ')}`);
  }
}
for (const f of graph.keys()) if (!idx.has(f)) strong(f);
if (errors.length) {
  for (const e of errors) console.error(e);
  console.error(`check-imports: ${errors.length} problem(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`check-imports: ${files.length} files, boundaries respected, no cycles`);
