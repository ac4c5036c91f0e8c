/**
 * The EVTX file: a 4 KiB header followed by 64 KiB chunks. Reads a stream chunk by chunk (never the
 * whole file), or a buffer already in memory. The header is checked but never trusted for layout:
 * every 64 KiB block after it is tried, so chunks past a stale chunk count (dirty files) are read too.
 */
import type { Readable } from 'node:stream';
import type { ReadResult } from '../source.js';
import { CHUNK_SIZE, isZero, parseChunk } from './chunk.js';
import { checkFileHeader, HEADER_SIZE } from './header.js';

export { checkFileHeader, estimateEvtxRecords, FILE_MAGIC, HEADER_SIZE } from './header.js';

/** Parses the chunk at file offset `offset` (block `index`), or nothing for zero padding. */
function chunkResults(block: Buffer, index: number, offset: number, file: string): ReadResult[] {
  if (block.length < CHUNK_SIZE && isZero(block)) return [];
  return parseChunk(block, { file, index, offset });
}

/** Parses a whole EVTX file held in memory: one batch for the header, then one per chunk. */
export function* parseEvtxBuffer(buf: Buffer, file: string): Generator<ReadResult[]> {
  const head = checkFileHeader(buf.subarray(0, HEADER_SIZE), file);
  if (head.length) yield head;
  for (let off = HEADER_SIZE, i = 0; off < buf.length; off += CHUNK_SIZE, i++) {
    const r = chunkResults(buf.subarray(off, off + CHUNK_SIZE), i, off, file);
    if (r.length) yield r;
  }
}

/** Parses chunks [first, last) of a file held in memory (for workers). */
export function parseChunkRange(buf: Buffer, file: string, first: number, baseOffset: number): ReadResult[][] {
  const out: ReadResult[][] = [];
  for (let off = 0, i = first; off < buf.length; off += CHUNK_SIZE, i++) {
    const r = chunkResults(buf.subarray(off, off + CHUNK_SIZE), i, baseOffset + off, file);
    if (r.length) out.push(r);
  }
  return out;
}

/** Streams an EVTX byte stream chunk by chunk; memory stays at about one chunk plus one stream read. */
export async function* readEvtxStream(stream: Readable, file: string): AsyncGenerator<ReadResult[]> {
  let pending: Buffer[] = [];
  let have = 0;
  let offset = 0; // file offset of the first pending byte
  let index = -1; // -1 while the header is pending
  const take = (n: number): Buffer => {
    const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, have);
    const block = all.subarray(0, n);
    const rest = all.subarray(n);
    pending = rest.length ? [rest] : [];
    have = rest.length;
    offset += n;
    return block;
  };
  for await (const piece of stream as AsyncIterable<Buffer>) {
    pending.push(piece);
    have += piece.length;
    if (index < 0 && have >= HEADER_SIZE) {
      const head = checkFileHeader(take(HEADER_SIZE), file);
      if (head.length) yield head;
      index = 0;
    }
    while (index >= 0 && have >= CHUNK_SIZE) {
      const at = offset;
      const r = chunkResults(take(CHUNK_SIZE), index++, at, file);
      if (r.length) yield r;
    }
  }
  if (index < 0) {
    const head = checkFileHeader(take(have), file);
    if (head.length) yield head;
    return;
  }
  if (have > 0) {
    const r = chunkResults(take(have), index, offset, file);
    if (r.length) yield r;
  }
}
