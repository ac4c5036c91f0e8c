/**
 * One 64 KiB chunk: header and checksums, then its records in order. A chunk whose header is damaged
 * is carved: records are found by their signature and kept when their own header and size copy agree
 * (each carved record is preceded by an SW1105 diagnostic). Nothing here throws on bad bytes.
 */
import { crc32 } from 'node:zlib';
import { diag, type Code, type RawRecord } from '../../core/index.js';
import type { ReadResult } from '../source.js';
import { BinXmlError, ChunkContext } from './binxml.js';
import { renderRecord } from './render.js';

/** Size of a chunk, and of its header (records start after it). */
export const CHUNK_SIZE = 0x10000;
export const CHUNK_HEADER_SIZE = 512;
const RECORD_SIG = Buffer.from([0x2a, 0x2a, 0x00, 0x00]);
const CHUNK_MAGIC = Buffer.from('ElfChnk\0', 'latin1');
const ZERO_CHUNK = Buffer.alloc(CHUNK_SIZE);

/** Where a chunk sits: display name, chunk index, file offset of its first byte. */
export interface ChunkPlace { file: string; index: number; offset: number }

const u32 = (b: Buffer, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;

/** True when every byte is zero (unused chunk slots and padding after the last chunk). */
export function isZero(buf: Buffer): boolean {
  if (buf.length === CHUNK_SIZE) return buf.equals(ZERO_CHUNK);
  return buf.equals(ZERO_CHUNK.subarray(0, buf.length));
}

interface HeaderCheck { ok: boolean; why?: string; end: number }

/** Validates magic, header CRC (bytes 0–120 and 128–512) and the free-space offset. */
export function checkChunkHeader(buf: Buffer): HeaderCheck {
  if (buf.length < CHUNK_SIZE) return { ok: false, why: `truncated chunk (${buf.length} of ${CHUNK_SIZE} bytes)`, end: buf.length };
  if (!buf.subarray(0, 8).equals(CHUNK_MAGIC)) return { ok: false, why: 'bad chunk signature', end: buf.length };
  const crc = crc32(buf.subarray(128, 512), crc32(buf.subarray(0, 120)));
  if (crc !== u32(buf, 124)) return { ok: false, why: 'chunk header checksum mismatch', end: buf.length };
  const free = u32(buf, 48);
  if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) return { ok: false, why: `bad free-space offset ${free}`, end: buf.length };
  return { ok: true, end: free };
}

function located(code: Code, message: string, place: ChunkPlace, pos: number, record?: number) {
  const loc = { file: place.file, chunk: place.index, offset: place.offset + pos, ...(record !== undefined ? { record } : {}) };
  return { diagnostic: diag(code, message, loc) };
}

/** Length of a plausible record at `pos` (signature, size, size copy), or 0. */
function recordAt(buf: Buffer, pos: number): number {
  if (pos + 28 > buf.length || buf[pos] !== 0x2a || buf[pos + 1] !== 0x2a || buf[pos + 2] !== 0 || buf[pos + 3] !== 0) return 0;
  const size = u32(buf, pos + 4);
  if (size < 28 || pos + size > buf.length || (size & 3) !== 0) return 0;
  return u32(buf, pos + size - 4) === size ? size : 0;
}

function parseRecord(ctx: ChunkContext, place: ChunkPlace, pos: number, size: number): ReadResult {
  const buf = ctx.buf;
  const headerId = u32(buf, pos + 8) + u32(buf, pos + 12) * 0x100000000;
  try {
    let rendered;
    try {
      rendered = renderRecord(ctx, ctx.recordNodes(pos + 24, pos + size - 4));
    } finally {
      ctx.releaseRecord();
    }
    const { system, data } = rendered;
    if (system.recordId === undefined) system.recordId = headerId;
    const record: RawRecord = {
      format: 'evtx',
      ref: { file: place.file, record: system.recordId, channel: system.channel ?? null, eventId: system.eventId ?? null, offset: place.offset + pos },
      system,
      data,
    };
    return { record };
  } catch (e) {
    if (e instanceof BinXmlError) return located('SW1106', `record ${headerId}: ${e.message} (chunk offset ${e.offset})`, place, pos, headerId);
    if (e instanceof RangeError) return located('SW1106', `record ${headerId}: value out of bounds`, place, pos, headerId);
    throw e;
  }
}

/** Parses one chunk into results in file order: records and located diagnostics. */
export function parseChunk(buf: Buffer, place: ChunkPlace): ReadResult[] {
  const out: ReadResult[] = [];
  if (isZero(buf)) return out;
  const head = checkChunkHeader(buf);
  const carve = !head.ok;
  if (carve) out.push(located('SW1102', `${head.why}; carving records`, place, 0));
  else if (crc32(buf.subarray(CHUNK_HEADER_SIZE, head.end)) !== u32(buf, 52)) {
    out.push(located('SW1107', 'event records checksum mismatch; records are checked one by one', place, 52));
  }
  const ctx = new ChunkContext(buf);
  let pos = CHUNK_HEADER_SIZE;
  const end = head.end;
  while (pos + 28 <= end) {
    const size = recordAt(buf, pos);
    if (size && pos + size <= (carve ? buf.length : end)) {
      if (carve) out.push(located('SW1105', 'record recovered from a damaged chunk', place, pos, u32(buf, pos + 8)));
      out.push(parseRecord(ctx, place, pos, size));
      pos += size;
      continue;
    }
    const next = buf.indexOf(RECORD_SIG, pos + 1);
    if (!carve) {
      const skipped = (next < 0 || next > end ? end : next) - pos;
      out.push(located('SW1103', `damaged record (${skipped} bytes skipped)`, place, pos));
    }
    if (next < 0 || next + 28 > end) break;
    pos = next;
  }
  return out;
}
