/**
 * The native EVTX reader (docs/evtx.md): file header, chunks, binary XML templates and values,
 * rendered into the same RawRecord shape as the JSON readers.
 */
import type { ReadResult, Source, Input } from '../source.js';
import { FILE_MAGIC, readEvtxStream } from './file.js';
import { readEvtxParallel, WORKER_MIN_SIZE } from './pool.js';

export { parseEvtxBuffer, readEvtxStream, checkFileHeader, HEADER_SIZE } from './file.js';
export { parseChunk, checkChunkHeader, CHUNK_SIZE } from './chunk.js';
export { ChunkContext, BinXmlError } from './binxml.js';
export { renderRecord } from './render.js';
export { renderScalar, renderArray, filetimeMs, T as ValueType } from './values.js';
export { readEvtxFiles, readEvtxParallel } from './pool.js';

/** Reads an input: large plain files spread their chunks over worker threads, the rest stream. */
async function* read(input: Input): AsyncGenerator<ReadResult[]> {
  if (input.path && (input.size ?? 0) >= WORKER_MIN_SIZE) {
    yield* readEvtxParallel(input.path, input.name);
    return;
  }
  yield* readEvtxStream(input.open(), input.name);
}

/** The `evtx` source: sniffs the `ElfFile\0` signature. */
export const evtxSource: Source = {
  id: 'evtx',
  sniff(head: Buffer, name: string): number {
    if (head.length >= 8 && head.subarray(0, 8).equals(FILE_MAGIC)) return 1;
    if (head.length >= 8 && head.subarray(0, 8).toString('latin1') === 'ElfChnk\0') return 0.9;
    return /\.evtx$/i.test(name) ? 0.3 : 0;
  },
  read,
};
