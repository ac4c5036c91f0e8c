/** The JSON reader: NDJSON, concatenated or array-wrapped JSON, in every shape shapes.ts knows. */
import { diag } from '../../core/index.js';
import type { Input, ReadResult, Source } from '../source.js';
import { toRawRecord } from './shapes.js';
import { JsonSplitter, type SplitResult } from './splitter.js';

function firstByte(head: Buffer): number {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && head[i] <= 0x20) i++;
  return i < head.length ? head[i] : -1;
}

export const jsonSource: Source = {
  id: 'json',
  sniff(head, name) {
    const b = firstByte(head);
    if (b === 0x7b || b === 0x5b) return /\.(json|jsonl|ndjson|log)$/i.test(name.replace(/\.gz$/i, '')) ? 0.9 : 0.6;
    return 0;
  },
  async *read(input: Input) {
    const splitter = new JsonSplitter(input.name);
    const parts: SplitResult[] = [];
    const stream = input.open();
    try {
      for await (const chunk of stream) {
        splitter.push(chunk as Buffer, parts);
        if (parts.length) yield convert(parts.splice(0), input.name);
      }
    } catch (e) {
      const d = (e as { diagnostic?: ReadResult['diagnostic'] }).diagnostic;
      yield [{ diagnostic: d ?? diag('SW1001', `read failed: ${(e as Error).message}`, { file: input.name }) }];
    }
    splitter.end(parts);
    if (parts.length) yield convert(parts, input.name);
  },
};

function convert(parts: SplitResult[], file: string): ReadResult[] {
  const out: ReadResult[] = [];
  for (const p of parts) {
    if (p.diagnostic) {
      out.push({ diagnostic: p.diagnostic });
      continue;
    }
    const { value, line, offset } = p.value;
    const items = (Array.isArray(value) ? value : [value]).flatMap(expandSnapshot);
    for (const v of items) {
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push({ record: toRawRecord(v as Record<string, unknown>, file, line, offset) });
      else out.push({ diagnostic: diag('SW1009', 'JSON value is not an object', { file, line, offset }) });
    }
  }
  return out;
}

/** An osquery snapshot result holds many rows in one line: one record per row, each like an event result. */
function expandSnapshot(v: unknown): unknown[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [v];
  const o = v as Record<string, unknown>;
  if (!Array.isArray(o.snapshot) || o.snapshot.length < 2 || typeof o.name !== 'string' || o.hostIdentifier === undefined) return [v];
  const { snapshot, ...rest } = o;
  return (snapshot as unknown[]).slice(0, 1_000_000).map((row) => ({ ...rest, action: rest.action ?? 'snapshot', columns: row }));
}
