/** Reads everything the user named: expands paths, picks a reader per input by sniffing, streams batches. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { diag, type Diagnostic } from '../core/index.js';
import { expandInputs, type ExpandOptions } from './inputs.js';
import { SOURCES } from './registry.js';
import { sniffBuffer } from './bytes.js';
import type { Input, ReadResult, Source } from './source.js';

const HEAD = 64 * 1024;
/** files up to this size are read whole rather than streamed */
const WHOLE_FILE = 16 * 1024 * 1024;

/** Progress notifications for the faces (files started, records read). */
export interface ReadEvents {
  onInput?(name: string, reader: string | null): void;
}

export interface ReadItem { input: string; reader: string; results: ReadResult[] }

/** Streams every input under `paths` as batches tagged with the input's name. */
export async function* readAll(
  paths: string[],
  opts: ExpandOptions & { sources?: readonly Source[] } & ReadEvents = {},
): AsyncGenerator<ReadItem | { diagnostic: Diagnostic; input: string }> {
  const sources = opts.sources ?? SOURCES;
  for await (const x of expandInputs(paths, opts)) {
    if (x.diagnostic) {
      yield { diagnostic: x.diagnostic, input: x.diagnostic.location?.file ?? '' };
      continue;
    }
    const input = x.input;
    let head: Buffer, stream: Readable;
    try {
      if (isSmall(input)) {
        // small files: one synchronous read instead of a stream and thread-pool round trips (folders of
        // small EVTX files spent a third of their time waiting on async open/stat/read/close)
        const buffer = readFileSync(input.path!);
        input.buffer = buffer;
        head = buffer.subarray(0, HEAD);
        stream = Readable.from([buffer]);
      } else ({ head, stream } = await peek(input.open(), HEAD));
    } catch (e) {
      const d = (e as { diagnostic?: Diagnostic }).diagnostic ?? diag('SW1001', `cannot read: ${(e as Error).message}`, { file: input.name });
      yield { diagnostic: d, input: input.name };
      continue;
    }
    const source = sniffBuffer(head, input.name, sources);
    opts.onInput?.(input.name, source?.id ?? null);
    if (!source) {
      stream.destroy();
      if (head.length) yield { diagnostic: diag('SW1002', 'no reader recognises this file', { file: input.name }), input: input.name };
      continue;
    }
    const replay: Input = { ...input, open: () => stream };
    for await (const results of source.read(replay)) yield { input: input.name, reader: source.id, results };
  }
}

function isSmall(input: Input): boolean {
  return Boolean(input.path) && input.size !== undefined && input.size <= WHOLE_FILE;
}

/** Reads up to `n` bytes from the start of `src`, and returns them with a stream that replays them. */
export async function peek(src: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let len = 0;
  const it = src[Symbol.asyncIterator]();
  let done = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    const b = r.value as Buffer;
    chunks.push(b);
    len += b.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay() {
    yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value as Buffer;
    }
  }
  return { head: head.subarray(0, n), stream: Readable.from(replay(), { objectMode: false }) };
}
