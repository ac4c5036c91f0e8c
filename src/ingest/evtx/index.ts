/**
 * The native EVTX reader (docs/evtx.md): file header, chunks, binary XML templates and values,
 * rendered into the same RawRecord shape as the JSON readers.
 */
import type { ReadResult, Source, Input } from '../source.js';
import { FILE_MAGIC, parseEvtxBuffer, readEvtxStream } from './file.js';
import { readEvtxParallel, WORKER_MIN_SIZE } from './pool.js';

export { parseEvtxBuffer, readEvtxStream, checkFileHeader, estimateEvtxRecords, HEADER_SIZE } from './file.js';
export { parseChunk, checkChunkHeader, CHUNK_SIZE } from './chunk.js';
export { ChunkContext, BinXmlError } from './binxml.js';
export { renderRecord } from './render.js';
export { renderScalar, renderArray, filetimeMs, T as ValueType } from './values.js';
export { readEvtxFiles, readEvtxParallel, mapEvtxFiles, WORKER_MIN_SIZE } from './pool.js';

/** Options of `createEvtxSource`. */
export interface EvtxSourceOptions {
  /**
   * Worker threads for plain files of at least `minSize` bytes (default 0: parse in this thread).
   * Records still cross back to the caller's thread, which costs more than parsing them (see
   * docs/evtx.md), so this pays only when the caller's thread has other work; to scale a folder over
   * cores, run the consumer in the workers with `mapEvtxFiles`.
   */
  threads?: number;
  minSize?: number;
}

/** Builds an `evtx` source; `evtxSource` is the default (streaming, in this thread). */
export function createEvtxSource(opts: EvtxSourceOptions = {}): Source {
  const threads = opts.threads ?? 0;
  const minSize = opts.minSize ?? WORKER_MIN_SIZE;
  async function* read(input: Input): AsyncGenerator<ReadResult[]> {
    if (threads > 0 && input.path && (input.size ?? 0) >= minSize) {
      yield* readEvtxParallel(input.path, input.name, { threads });
      return;
    }
    if (input.buffer) {
      yield* parseEvtxBuffer(input.buffer, input.name);
      return;
    }
    yield* readEvtxStream(input.open(), input.name);
  }
  return {
    id: 'evtx',
    sniff(head: Buffer, name: string): number {
      if (head.length >= 8 && head.subarray(0, 8).equals(FILE_MAGIC)) return 1;
      if (head.length >= 8 && head.subarray(0, 8).toString('latin1') === 'ElfChnk\0') return 0.9;
      return /\.evtx$/i.test(name) ? 0.3 : 0;
    },
    read,
  };
}

/** The `evtx` source: sniffs the `ElfFile\0` signature; streams chunk by chunk. */
export const evtxSource: Source = createEvtxSource();
