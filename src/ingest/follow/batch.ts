/**
 * A batch of lines → records, read by the file's reader exactly as the same bytes in a file would be;
 * provenance is then moved from the batch to the real file (offsets and line numbers of the file,
 * record ordinals that were line numbers), so a record re-read after a restart is the same record.
 */
import type { Diagnostic, RawRecord } from '../../core/index.js';
import { readBuffer, sniffBuffer } from '../bytes.js';
import type { Batch } from './tail.js';

/** Bytes of the file's head the reader is picked from. */
export const SNIFF_BYTES = 64 * 1024;

export interface ParsedBatch {
  records: RawRecord[];
  diagnostics: Diagnostic[];
  /** the reader that read it, or null */
  reader: string | null;
}

/** The reader id for a file whose first bytes are `head`, or null when none recognises them yet. */
export function pickReader(head: Buffer, name: string): string | null {
  if (head.indexOf(0x0a) < 0) return null; // not one whole line yet: too early to tell
  return sniffBuffer(head, name)?.id ?? null;
}

/** Reads a batch (with `reader`, or whichever recognises it when null) and relocates what it yields. */
export async function parseBatch(b: Batch, name: string, reader: string | null, stream: string): Promise<ParsedBatch> {
  const r = await readBuffer(b.buf, name, reader ? { reader } : {});
  for (const rec of r.records) relocateRecord(rec, b, stream);
  for (const d of r.diagnostics) {
    const l = d.location;
    if (!l) continue;
    if (l.offset !== undefined) l.offset += b.offset;
    if (l.line !== undefined) l.line += b.line - 1;
  }
  return { records: r.records, diagnostics: r.diagnostics, reader: r.reader };
}

function relocateRecord(rec: RawRecord, b: Batch, stream: string): void {
  const ref = rec.ref;
  if (ref.line !== undefined) {
    if (typeof ref.record === 'number' && ref.record === ref.line) ref.record += b.line - 1;
    ref.line += b.line - 1;
  }
  if (ref.offset !== undefined) ref.offset += b.offset;
  ref.stream = stream;
}
