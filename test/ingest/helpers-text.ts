// Shared by the Linux/network reader tests: run a Source over bytes, and read whole paths normalized.
import { Readable } from 'node:stream';
import type { RawRecord, ShellEvent } from '../../src/core/index.js';
import { readAll } from '../../src/ingest/read.js';
import type { Input, ReadResult } from '../../src/ingest/source.js';
import { Normalizer } from '../../src/normalize/index.js';

export const normalizer = new Normalizer();

/** Every result a reader yields for `text`, fed in chunks of `chunk` bytes. */
export async function run(read: (i: Input) => AsyncIterable<ReadResult[]>, text: string | Buffer, chunk = 1 << 20, name = 't'): Promise<ReadResult[]> {
  const b = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < b.length; i += chunk) parts.push(b.subarray(i, i + chunk));
  const out: ReadResult[] = [];
  for await (const batch of read({ name, open: () => Readable.from(parts) })) out.push(...batch);
  return out;
}
export const records = (r: ReadResult[]): RawRecord[] => r.filter((x) => x.record).map((x) => x.record!);
export const codes = (r: ReadResult[]): string[] => r.filter((x) => x.diagnostic).map((x) => `${x.diagnostic!.code}@${x.diagnostic!.location?.line}`);

/** Reads paths the way `hunt` does; returns normalized events, readers used and diagnostic codes. */
export async function readPaths(paths: string[]): Promise<{ events: ShellEvent[]; readers: Set<string>; diags: string[] }> {
  const events: ShellEvent[] = [];
  const readers = new Set<string>();
  const diags: string[] = [];
  for await (const item of readAll(paths)) {
    if ('diagnostic' in item) { diags.push(item.diagnostic.code); continue; }
    readers.add(item.reader);
    for (const r of item.results) {
      if (r.diagnostic) diags.push(r.diagnostic.code);
      else events.push(normalizer.normalize(r.record));
    }
  }
  return { events, readers, diags };
}

export function countKinds(events: ShellEvent[]): Record<string, number> {
  const k: Record<string, number> = {};
  for (const e of events) k[e.kind] = (k[e.kind] ?? 0) + 1;
  return k;
}
