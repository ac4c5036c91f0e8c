// Sigma evaluation throughput: SigmaHQ process_creation rules (and all rules) over a process-creation
// NDJSON file, against reading + JSON.parse of the same file in the same run (the baseline).
// Both sides read the file (warm page cache) and split it into lines; one JSON object per line.
// Events: the regression suite's Sysmon 1 events with command lines/images from the benign corpus
// and the regression suite itself (so both hits and misses occur).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawRecord } from '../src/core/index.js';
import { createEngine, loadRules, type CompiledItem, type EngineOptions } from '../src/detect/sigma/index.js';
import { corpusPath } from '../test/helpers/corpus.js';
import { regressionCases, SIGMA_RULE_DIRS } from '../test/sigma/helpers/regression.js';

export interface SigmaBenchLine { bench: string; case: string; metric: string; value: number; baseline: number | null; ratio: number | null }

/**
 * Builds `n` NDJSON lines of Sysmon process-creation records. `unique`: every command line is made
 * distinct (a counter appended), so per-value memoization cannot help on CommandLine.
 */
export function processCreationLines(n: number, unique = false): string[] {
  const templates = regressionCases().flatMap((c) => c.records).filter((r) => r.system.eventId === 1 && r.system.channel?.includes('Sysmon'));
  const benign = readFileSync(corpusPath('benign', 'nl2bash.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { command: string }).command);
  const images = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Program Files\\Git\\bin\\bash.exe', 'C:\\Windows\\System32\\svchost.exe'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = templates[i % templates.length];
    let rec: RawRecord = i % 4 === 0 ? t : { ...t, data: { ...t.data, Image: images[i % images.length], CommandLine: benign[i % benign.length] } };
    if (unique) rec = { ...rec, data: { ...rec.data, CommandLine: `${String(rec.data.CommandLine ?? '')} #${i}` } };
    out.push(JSON.stringify(rec));
  }
  return out;
}

function best(reps: number, fn: () => void): number {
  fn();
  let t = Infinity;
  for (let i = 0; i < reps; i++) { const t0 = process.hrtime.bigint(); fn(); t = Math.min(t, Number(process.hrtime.bigint() - t0) / 1e9); }
  return t;
}

/** Engine build time (createEngine, plus the first record of the route, which builds its bucket). */
function buildTime(rules: CompiledItem[], first: RawRecord, reps: number): number {
  return best(reps, () => { createEngine(rules).match(first); });
}

const decoder = new TextDecoder();

/**
 * Reads an NDJSON file and calls `each` with every line's text: the bytes are read at once and each
 * line decoded on its own (decoding the whole file into one string first is 2x slower when it holds
 * any non-ASCII byte, which would flatter the ratio).
 */
function forEachLine(file: string, each: (line: string) => void): void {
  const b = readFileSync(file);
  for (let a = 0; a < b.length;) {
    let i = b.indexOf(10, a);
    if (i < 0) i = b.length;
    if (i > a) each(decoder.decode(b.subarray(a, i)));
    a = i + 1;
  }
}

const seconds = (fn: () => void): number => { const t0 = process.hrtime.bigint(); fn(); return Number(process.hrtime.bigint() - t0) / 1e9; };

/**
 * Evaluation against its baseline, timed in alternation: each round reads the file and JSON.parses
 * every line (the baseline), then reads, parses and matches every line with one engine built before
 * timing; the best of `reps` rounds of each. Alternating makes a drifting machine (a VM's neighbours)
 * slow both sides alike instead of one.
 */
function evalRate(rules: CompiledItem[], file: string, n: number, reps: number, opts: EngineOptions = {}): { rate: number; base: number; hits: number } {
  let hits = 0;
  const e = createEngine(rules, opts);
  const parseOnce = (): void => forEachLine(file, (l) => JSON.parse(l));
  const evalOnce = (): void => { hits = 0; forEachLine(file, (l) => { hits += e.match(JSON.parse(l) as RawRecord).length; }); };
  parseOnce();
  evalOnce();
  let bp = Infinity, be = Infinity;
  for (let i = 0; i < reps; i++) { bp = Math.min(bp, seconds(parseOnce)); be = Math.min(be, seconds(evalOnce)); }
  return { rate: n / be, base: n / bp, hits };
}

/** Loads every SigmaHQ rule in a fresh process: seconds and resident MB (after a full collection). */
function loadInChild(args: string[]): { s: number; rssMB: number; rssSettledMB: number; heapMB: number; documents: number } {
  const script = fileURLToPath(new URL('./sigma-load.ts', import.meta.url));
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...args], { encoding: 'utf8' })) as { s: number; rssMB: number; rssSettledMB: number; heapMB: number; documents: number };
}

/** Runs the Sigma benchmarks and returns one line per measurement (memory baseline: the same process without rules). */
export function runSigmaBench(n = 20000, reps = 7): SigmaBenchLine[] {
  const all = loadRules([...SIGMA_RULE_DIRS]);
  const pc = all.rules.filter((r) => r.kind === 'rule' && r.logsource.category === 'process_creation' && r.logsource.product === 'windows');
  const lines = processCreationLines(n), unique = processCreationLines(n, true);
  const first = JSON.parse(lines[0]) as RawRecord;
  const dataDir = mkdtempSync(join(tmpdir(), 'sigma-bench-data-'));
  const file = join(dataDir, 'process-creation.ndjson'), fileU = join(dataDir, 'unique.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  writeFileSync(fileU, unique.join('\n') + '\n');
  const pcBuild = buildTime(pc, first, reps), allBuild = buildTime(all.rules, first, reps);
  const pcRate = evalRate(pc, file, n, reps), allRate = evalRate(all.rules, file, n, reps);
  const pcU = evalRate(pc, fileU, n, reps), pcNoMemo = evalRate(pc, file, n, reps, { memo: false });
  rmSync(dataDir, { recursive: true, force: true });
  const cacheDir = mkdtempSync(join(tmpdir(), 'sigma-bench-cache-'));
  const base = loadInChild(['none']), cold = loadInChild(['nocache']);
  loadInChild(['cache', cacheDir]);
  const warm = loadInChild(['cache', cacheDir]);
  rmSync(cacheDir, { recursive: true, force: true });
  const r = (v: number): number => Math.round(v * 1000) / 1000;
  const ev = (c: string, x: { rate: number; base: number }): SigmaBenchLine => ({ bench: 'sigma-eval', case: c, metric: 'events/s', value: Math.round(x.rate), baseline: Math.round(x.base), ratio: r(x.rate / x.base) });
  return [
    ev(`process_creation rules (${pc.length}), ${pcRate.hits} matches`, pcRate),
    ev(`all SigmaHQ rules (${all.rules.length}), ${allRate.hits} matches`, allRate),
    { bench: 'sigma-eval', case: 'cost all / process_creation per event', metric: 'ratio', value: r(pcRate.rate / allRate.rate), baseline: null, ratio: null },
    ev(`process_creation rules, every command line distinct, ${pcU.hits} matches`, pcU),
    ev(`process_creation rules, field memo off, ${pcNoMemo.hits} matches`, pcNoMemo),
    { bench: 'sigma-build', case: `createEngine + first event, process_creation rules (${pc.length})`, metric: 'ms', value: r(pcBuild * 1000), baseline: null, ratio: null },
    { bench: 'sigma-build', case: `createEngine + first event, all SigmaHQ rules (${all.rules.length})`, metric: 'ms', value: r(allBuild * 1000), baseline: null, ratio: null },
    { bench: 'sigma-load', case: `load every SigmaHQ rule (${cold.documents} documents), no cache`, metric: 's', value: r(cold.s), baseline: null, ratio: null },
    { bench: 'sigma-load', case: 'load every SigmaHQ rule, compiled-rule cache warm', metric: 's', value: r(warm.s), baseline: null, ratio: null },
    { bench: 'sigma-load', case: 'resident memory after load, no cache (fresh process)', metric: 'MB', value: Math.round(cold.rssMB), baseline: Math.round(base.rssMB), ratio: null },
    { bench: 'sigma-load', case: 'resident memory 1 s after load, no cache (fresh process)', metric: 'MB', value: Math.round(cold.rssSettledMB), baseline: Math.round(base.rssSettledMB), ratio: null },
    { bench: 'sigma-load', case: 'V8 heap in use after load, no cache (fresh process)', metric: 'MB', value: Math.round(cold.heapMB * 10) / 10, baseline: Math.round(base.heapMB * 10) / 10, ratio: null },
    { bench: 'sigma-load', case: 'resident memory after load, cache warm (fresh process)', metric: 'MB', value: Math.round(warm.rssMB), baseline: Math.round(base.rssMB), ratio: null },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) for (const l of runSigmaBench()) console.log(JSON.stringify(l));
