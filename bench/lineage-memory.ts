// Lineage memory: bytes per tracked process with 1M processes on one host, compact tables against a
// plain Map of JS objects holding the same fields (the obvious implementation), in the same run.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ProcessInfo } from '../src/core/index.js';
import { ProcessTables } from '../src/lineage/index.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A synthetic but realistic process population: few images, repetitive command lines, some unique. */
function* population(n: number): Generator<{ p: ProcessInfo; parent: ProcessInfo; at: number }> {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const images = Array.from({ length: 300 }, (_, i) => `C:\\Program Files\\Vendor${i % 40}\\bin\\tool${i}.exe`);
  const templates = ['svchost.exe -k netsvcs -p', 'conhost.exe 0xffffffff -ForceV1', 'cmd.exe /c echo ok', 'powershell.exe -NoProfile -File C:\\scripts\\health.ps1'];
  for (let i = 0; i < n; i++) {
    const image = images[Math.floor(rand() ** 2 * images.length)];
    // three in four command lines repeat a template; one in four carries a unique argument
    const cmd = rand() < 0.75 ? templates[i % templates.length] : `${image} --job ${i} --target host${i % 977}`;
    const guid = i % 2 === 0 ? `{${(i >>> 0).toString(16).padStart(8, '0')}-1c6c-627e-e516-000000000600}` : undefined;
    const pid = 4 + ((i * 4) % 262_144);
    yield { p: { pid, guid, image, commandLine: cmd, user: i % 3 ? 'CORP\\svc' : 'NT AUTHORITY\\SYSTEM' }, parent: { pid: 4 + (((i - 1) * 4) % 262_144) }, at: i * 10 };
  }
}

export async function runLineageMemoryBench(n = Number(process.env.BENCH_PROCESSES ?? 1_000_000)): Promise<void> {
  let before = used();
  const tables = new ProcessTables({ maxPerHost: n });
  for (const { p, parent, at } of population(n)) tables.add('HOST1', p, parent, at);
  const compact = (used() - before) / n;
  const live = tables.stats().processes;
  before = used();
  const naive = new Map<number, ProcessInfo & { parent?: ProcessInfo; startMs: number }>();
  let k = 0;
  for (const { p, at } of population(n)) naive.set(k++, { ...p, startMs: at, parent: naive.get(k - 2) });
  const plain = (used() - before) / n;
  console.log(JSON.stringify({ bench: 'lineage-memory', case: `${live} processes on one host`, metric: 'bytes/process', value: Math.round(compact), baseline: Math.round(plain), ratio: Number((compact / plain).toFixed(3)) }));
  if (naive.size < 0 || tables.evicted < 0) console.log('unreachable');
}

if (process.argv[1]?.endsWith('lineage-memory.ts')) await runLineageMemoryBench();
