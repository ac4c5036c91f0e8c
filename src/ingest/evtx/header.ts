/**
 * The EVTX file header (the first 4 KiB): its checks, and a record count estimated from it. Kept apart
 * from the reader so a planner can size files without loading the parser.
 */
import { crc32 } from 'node:zlib';
import { diag } from '../../core/index.js';
import type { ReadResult } from '../source.js';

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
