// The mutation fuzzer shared by the bounded test batch (fuzz.test.ts) and `npm run fuzz`
// (scripts/fuzz-evtx.ts): bit flips, byte runs, magic values, truncations, chunk shuffles.
import { createHash } from 'node:crypto';
import { parseEvtxBuffer } from '../../src/ingest/evtx/index.js';

const CH = 0x10000;
const HDR = 0x1000;

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const chunkKey = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

/** Record ids per chunk, keyed by the chunk's content hash. */
export function recordsByChunk(buf: Buffer): { byIndex: Map<number, number[]>; records: number; diagnostics: number } {
  const byIndex = new Map<number, number[]>();
  let records = 0;
  let diagnostics = 0;
  for (const batch of parseEvtxBuffer(buf, 'fuzz.evtx')) {
    for (const r of batch) {
      if (!r.record) {
        diagnostics++;
        continue;
      }
      records++;
      const c = Math.floor(((r.record.ref.offset as number) - HDR) / CH);
      const list = byIndex.get(c) ?? [];
      list.push(r.record.system.recordId as number);
      byIndex.set(c, list);
    }
  }
  return { byIndex, records, diagnostics };
}

/** What the original file looks like, for checking that undamaged chunks still yield their records. */
export interface Baseline { buf: Buffer; chunkIds: Map<string, number[]> }

export function baseline(buf: Buffer): Baseline {
  const { byIndex } = recordsByChunk(buf);
  const chunkIds = new Map<string, number[]>();
  for (let i = 0; HDR + i * CH + CH <= buf.length; i++) chunkIds.set(chunkKey(buf.subarray(HDR + i * CH, HDR + (i + 1) * CH)), byIndex.get(i) ?? []);
  return { buf, chunkIds };
}

/** One mutation of `buf` chosen by `r`; returns the mutant and a label. */
export function mutate(buf: Buffer, r: () => number): { data: Buffer; kind: string } {
  const b = Buffer.from(buf);
  const chunks = Math.floor((b.length - HDR) / CH);
  const pick = (n: number): number => Math.floor(r() * n);
  const kind = ['flips', 'run', 'magic', 'truncate', 'shuffle', 'zero-chunk', 'header'][pick(7)];
  switch (kind) {
    case 'flips': {
      const target = HDR + pick(Math.max(chunks, 1)) * CH;
      for (let i = 1 + pick(16); i > 0; i--) b[Math.min(b.length - 1, target + pick(CH))] ^= 1 << pick(8);
      return { data: b, kind };
    }
    case 'run': {
      const at = pick(b.length);
      for (let i = 0, n = 1 + pick(64); i < n && at + i < b.length; i++) b[at + i] = pick(256);
      return { data: b, kind };
    }
    case 'magic': {
      const at = Math.max(0, pick(b.length - 4));
      b.writeUInt32LE([0, 0xffffffff, 0x7fffffff, 512, 0x10000, pick(0x10000)][pick(6)] >>> 0, at);
      return { data: b, kind };
    }
    case 'truncate':
      return { data: b.subarray(0, pick(b.length)), kind };
    case 'shuffle': {
      if (chunks < 2) return { data: b, kind };
      const order = [...Array(chunks).keys()].sort(() => r() - 0.5);
      const out = Buffer.from(b);
      order.forEach((src, dst) => b.copy(out, HDR + dst * CH, HDR + src * CH, HDR + (src + 1) * CH));
      return { data: out, kind };
    }
    case 'zero-chunk': {
      const c = pick(Math.max(chunks, 1));
      b.fill(0, HDR + c * CH, Math.min(b.length, HDR + (c + 1) * CH));
      return { data: b, kind };
    }
    default: {
      for (let i = 1 + pick(8); i > 0; i--) b[pick(HDR)] = pick(256);
      return { data: b, kind };
    }
  }
}

/** Runs one case: no throw, bounded time, and every chunk identical to an original one yields its records. */
export function checkCase(base: Baseline, data: Buffer, maxMs: number): string | null {
  const t0 = performance.now();
  let got;
  try {
    got = recordsByChunk(data);
  } catch (e) {
    return `threw: ${(e as Error)?.stack ?? e}`;
  }
  const ms = performance.now() - t0;
  if (ms > maxMs) return `took ${ms.toFixed(0)} ms`;
  for (let i = 0; HDR + (i + 1) * CH <= data.length; i++) {
    const want = base.chunkIds.get(chunkKey(data.subarray(HDR + i * CH, HDR + (i + 1) * CH)));
    if (!want) continue;
    const have = got.byIndex.get(i) ?? [];
    if (have.join(',') !== want.join(',')) return `undamaged chunk ${i}: ${have.length} records, expected ${want.length}`;
  }
  return null;
}
