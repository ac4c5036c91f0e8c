// Two cores vs one on a folder of EVTX files, as a user runs it: every measurement is a fresh run of
// the compiled CLI (`shellwatch hunt FOLDER --threads N -f jsonl -o /dev/null`; worker processes start
// cold, like the main one; under tsx each worker would pay for transpiling the sources, which users
// never do). The folder is the corpus EVTX (evtx-attack-samples and hayabusa-sample-evtx) replicated
// COPIES times into os.tmpdir() (hard links to one copy; the corpus itself is never written).
//
// Each run reports its wall time, its CPU time (all threads, worker processes included) and what the
// rest of the machine used meanwhile (/proc/stat): a run during which others kept more than a tenth of
// a core busy is retried, so the figures are not someone else's benchmark. BENCH_LOCK=FILE takes that
// lock (flock) around each run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { corpusPath, projectRoot } from '../test/helpers/corpus.js';

export interface ThreadRun { threads: number; wall: number; cpu: number; others: number; events: number; alerts: number }

const FOLDERS = ['evtx-attack-samples', 'hayabusa-sample-evtx'];

function evtxUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...evtxUnder(p));
    else if (n.toLowerCase().endsWith('.evtx')) out.push(p);
  }
  return out;
}

/** The scratch folder: copies c00..c(N-1), each holding both corpus folders. */
export function scratchFolder(copies: number): string {
  const root = join(tmpdir(), `shellwatch-bench-evtx-x${copies}`);
  // the marker sits beside the folder, not in it (it would be one more input to list)
  const done = `${root}.complete`;
  if (existsSync(done)) return root;
  rmSync(root, { recursive: true, force: true });
  const files = FOLDERS.flatMap((f) => evtxUnder(corpusPath(f)));
  const base = corpusPath();
  for (let c = 0; c < copies; c++) {
    const into = join(root, `c${String(c).padStart(2, '0')}`);
    for (const f of files) {
      const to = join(into, relative(base, f));
      mkdirSync(dirname(to), { recursive: true });
      const first = join(root, 'c00', relative(base, f));
      if (c === 0) copyFileSync(f, to);
      else try { linkSync(first, to); } catch { copyFileSync(first, to); }
    }
  }
  writeFileSync(done, '');
  return root;
}

/** Compiles src/ to os.tmpdir() (the shared dist/ is left alone) with the assets the runtime reads. */
export function compiledPipeline(): string {
  const root = join(tmpdir(), 'shellwatch-bench-build');
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const tsc = spawnSync(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(projectRoot, 'tsconfig.build.json'), '--outDir', join(root, 'dist'), '--declaration', 'false'], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('tsc failed');
  const src = join(projectRoot, 'src');
  const copyAssets = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) copyAssets(p);
      else if (/\.(ya?ml|json)$/.test(n)) cpSync(p, join(root, 'dist', relative(src, p)));
    }
  };
  copyAssets(src);
  for (const l of ['node_modules', 'rules']) if (!existsSync(join(root, l))) symlinkSync(join(projectRoot, l), join(root, l));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(root, 'child.mjs'), CHILD);
  return join(root, 'dist', 'pipeline', 'index.js');
}

// Runs in the child (under the lock when there is one): waits until the rest of the machine has been
// idle for a second (at most two minutes), then runs the CLI as a user does (`shellwatch hunt FOLDER
// --threads N -f jsonl -o /dev/null -q`) and prints one JSON line. Wall time is the CLI's, from spawn
// to exit (Node's start-up included, not the wait); CPU is the CLI's and its workers' (reaped children).
const CHILD = `
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const busy = () => { try { const f = readFileSync('/proc/stat', 'utf8').split('\\n')[0].trim().split(/\\s+/).slice(1).map(Number); return (f[0] + f[1] + f[2] + f[5] + f[6]) / 100; } catch { return NaN; } };
const children = () => { try { const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' '); return (Number(f[13]) + Number(f[14])) / 100; } catch { return NaN; } };
for (let i = 0; i < 120; i++) {
  const b = busy();
  await new Promise((r) => setTimeout(r, 1000));
  if (!(busy() - b > 0.1)) break;
}
const [, , cli, folder, threads] = process.argv;
const b0 = busy();
const t0 = performance.now();
const r = spawnSync(process.execPath, [...process.execArgv, cli, 'hunt', folder, '--threads', threads, '-f', 'jsonl', '-o', '/dev/null', '-q'], { encoding: 'utf8', maxBuffer: 1 << 28 });
const wall = (performance.now() - t0) / 1000;
const cpu = children();
if (r.status !== 0) { console.error(r.stderr); process.exit(1); }
const m = /(\\d+) events, (\\d+) alerts/.exec(r.stderr);
console.log(JSON.stringify({ threads: Number(threads), wall, cpu, others: (busy() - b0 - cpu) / wall, events: Number(m?.[1]), alerts: Number(m?.[2]) }));
`;

/**
 * One run of `threads` workers. `oneCore`: the process and everything it starts pinned to one core
 * (taskset -c 0), which is what "one core" means: unpinned, a one-thread hunt also keeps part of the
 * second core busy with V8's background threads (optimising compiler, concurrent GC).
 */
export function runOnce(pipeline: string, folder: string, threads: number, oneCore = false): ThreadRun {
  // a file, not -e: worker processes inherit the parent's execArgv
  const cli = join(dirname(dirname(pipeline)), 'cli', 'main.js');
  const node = [...(oneCore ? ['taskset', '-c', '0'] : []), process.execPath, join(dirname(dirname(dirname(pipeline))), 'child.mjs'), cli, folder, String(threads)];
  const lock = process.env.BENCH_LOCK;
  const r = spawnSync(lock ? 'flock' : node[0], lock ? [lock, ...node] : node.slice(1), { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ThreadRun;
}

/** A configuration to measure: worker count, and whether pinned to one core. */
export interface ThreadCase { name: string; threads: number; oneCore?: boolean }

/** `runs` uncontended runs of each case, interleaved (a, b, a, b, …) so load drifts hit all alike. */
export function measureThreads(pipeline: string, folder: string, cases: ThreadCase[], runs: number, maxOthers = 0.1): Map<string, ThreadRun[]> {
  const out = new Map<string, ThreadRun[]>(cases.map((c) => [c.name, []]));
  let tries = 0;
  while ([...out.values()].some((v) => v.length < runs) && tries++ < runs * cases.length * 3) {
    for (const c of cases) {
      if (out.get(c.name)!.length >= runs) continue;
      const r = runOnce(pipeline, folder, c.threads, c.oneCore);
      // pinned, the machine's other core is idle by construction; others must stay off it all the same
      if (!(r.others > maxOthers)) out.get(c.name)!.push(r);
      else console.error(`bench: ${c.name} run discarded, others used ${r.others.toFixed(2)} cores meanwhile`);
    }
  }
  return out;
}
