/**
 * The EVTX file: a 4 KiB header followed by 64 KiB chunks. Reads a stream chunk by chunk (never the
 * whole file), or a buffer already in memory. The header is checked but never trusted for layout:
 * every 64 KiB block after it is tried, so chunks past a stale chunk count (dirty files) are read too.
 */
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { diag } from '../../core/index.js';
import type { ReadResult } from '../source.js';
import { CHUNK_SIZE, isZero, parseChunk } from './chunk.js';

/** Size of the file header block. */
export const HEADER_SIZE = 0x1000;
/** The file signature `ElfFile\0`. */
export const FILE_MAGIC = Buffer.from('ElfFile\0', 'latin1');

/** Checks the file header; returns its diagnostics (bad magic, bad checksum, dirty flag). */
export function checkFileHeader(head: Buffer, file: string): ReadResult[] {
  const out: ReadResult[] = [];
  const at = (offset: number) => ({ file, offset });
  if (head.length < 128) {
    out.push({ diagnostic: diag('SW1101', `file too short for an EVTX header (${head.length} bytes)`, at(0)) });
    return out;
  }
  if (!head.subarray(0, 8).equals(FILE_MAGIC)) {
    out.push({ diagnostic: diag('SW1101', 'bad file signature (expected ElfFile); trying chunks anyway', at(0)) });
    return out;
  }
  if (crc32(head.subarray(0, 120)) !== head.readUInt32LE(124)) {
    out.push({ diagnostic: diag('SW1101', 'file header checksum mismatch', at(124)) });
  }
  const flags = head.readUInt32LE(120);
  if (flags & 1) out.push({ diagnostic: diag('SW1104', 'file is marked dirty (not cleanly closed); all chunks are read', at(120)) });
  return out;
}

/**
 * How many records an EVTX file holds, from its headers alone (`head` = the first 4 KiB + 32 bytes):
 * the header's next record id less the first record id of chunk 0. Undefined when `head` is not an
 * EVTX file; a guess from the chunk count when the ids disagree with it (wrapped or damaged logs).
 * For planning work (a parallel hunt balances and sizes groups by it), never for reading.
 */
export function estimateEvtxRecords(head: Buffer): number | undefined {
  if (head.length < HEADER_SIZE + 32 || !head.subarray(0, 8).equals(FILE_MAGIC)) return undefined;
  const chunks = head.readUInt16LE(42);
  const guess = chunks * 150;
  if (head.toString('latin1', HEADER_SIZE, HEADER_SIZE + 8) !== 'ElfChnk\0') return guess;
  const n = Number(head.readBigUInt64LE(24) - head.readBigUInt64LE(HEADER_SIZE + 24));
  return n >= 0 && n <= chunks * 2000 ? n : guess;
}

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
