/**
 * Line framing shared by the text readers (auditd, Zeek TSV, flow CSV, XML-in-syslog): splits a byte
 * stream into lines with their 1-based number and byte offset, without holding the input. Lines
 * longer than `maxLine` are reported once (SW1006) and skipped, so one hostile line never grows memory.
 */
import type { Readable } from 'node:stream';
import { diag, type Diagnostic } from '../../core/index.js';

/** One line of text (no terminator, CR stripped). */
export interface Line {
  text: string;
  line: number;
  offset: number;
  /** the input ended inside this line (no terminator): it may be cut */
  partial?: boolean;
}
export type LineResult = { line: Line; diagnostic?: undefined } | { line?: undefined; diagnostic: Diagnostic };

const NL = 0x0a;

/** Streams `src` as batches of lines (one batch per input chunk). */
export async function* readLines(src: Readable, file: string, maxLine = 1 << 20): AsyncGenerator<LineResult[]> {
  let buf: Buffer = Buffer.alloc(0);
  let base = 0; // byte offset of buf[0]
  let lineNo = 1;
  let skipping = false;
  let first = true;
  const out: LineResult[] = [];
  const emit = (b: Buffer, s: number, e: number, partial = false) => {
    if (e - s > maxLine) {
      out.push({ diagnostic: diag('SW1006', `line longer than ${maxLine} bytes (skipped)`, { file, line: lineNo, offset: base + s }) });
      return;
    }
    let end = e;
    if (end > s && b[end - 1] === 0x0d) end--;
    let st = s;
    if (first && base + s === 0 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) st = 3;
    const l: Line = { text: b.toString('utf8', st, end), line: lineNo, offset: base + s };
    if (partial) l.partial = true;
    out.push({ line: l });
  };
  try {
    for await (const chunk of src) {
      buf = buf.length ? Buffer.concat([buf, chunk as Buffer]) : (chunk as Buffer);
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(NL, start);
        if (nl < 0) break;
        if (skipping) skipping = false;
        else emit(buf, start, nl);
        first = false;
        start = nl + 1;
        lineNo++;
      }
      if (!skipping && buf.length - start > maxLine) {
        out.push({ diagnostic: diag('SW1006', `line longer than ${maxLine} bytes (skipped)`, { file, line: lineNo, offset: base + start }) });
        skipping = true;
      }
      if (skipping) { base += buf.length; buf = Buffer.alloc(0); } else { base += start; buf = buf.subarray(start); }
      if (out.length) yield out.splice(0);
    }
  } catch (e) {
    const d = (e as { diagnostic?: Diagnostic }).diagnostic;
    out.push({ diagnostic: d ?? diag('SW1001', `read failed: ${(e as Error).message}`, { file, offset: base }) });
  }
  if (!skipping && buf.length) emit(buf, 0, buf.length, true);
  if (out.length) yield out;
}

/** True when the bytes are mostly printable text (sniffers use it to reject binary input). */
export function looksText(head: Buffer): boolean {
  const n = Math.min(head.length, 4096);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1d)) bad++;
  }
  return n > 0 && bad * 50 < n;
}

/** The first `max` lines of a sniffed head (the last, possibly cut line dropped when more follow). */
export function headLines(head: Buffer, max = 50): string[] {
  const s = head.toString('utf8', 0, Math.min(head.length, 64 * 1024));
  const lines = s.split('\n');
  if (lines.length > 1 && head.length >= 64 * 1024) lines.pop();
  return lines.slice(0, max).map((l) => l.replace(/\r$/, '').replace(/^\ufeff/, ''));
}
