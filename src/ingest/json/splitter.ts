/**
 * Splits a byte stream of JSON into top-level values without holding the file in memory.
 * Handles the three shapes exporters write: one value per line (NDJSON), pretty-printed values
 * concatenated, and a top-level array of values. Every value comes with its 1-based line and byte
 * offset, so a diagnostic or an alert can point back at it.
 */
import { diag, type Diagnostic } from '../../core/index.js';

export interface JsonValue { value: unknown; line: number; offset: number }
export type SplitResult = { value: JsonValue; diagnostic?: undefined } | { value?: undefined; diagnostic: Diagnostic };

const NL = 0x0a, CR = 0x0d, QUOTE = 0x22, BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b, CLOSE_OBJ = 0x7d, OPEN_ARR = 0x5b, CLOSE_ARR = 0x5d, COMMA = 0x2c;

type Mode = 'unknown' | 'lines' | 'scan';

/** Incremental splitter: feed chunks with push(), then call end(). */
export class JsonSplitter {
  private mode: Mode = 'unknown';
  private buf: Buffer = Buffer.alloc(0);
  /** byte offset of buf[0] in the file */
  private base = 0;
  /** line number of buf[0] */
  private line = 1;
  // scanner state (persists across chunks)
  private pos = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private valueStart = -1;
  private valueLine = 1;
  private inArray = false;
  private scanLine = 1;
  private skipping = false;
  /** scanner is skipping garbage up to the next newline */
  private resync = false;

  constructor(private readonly file: string, private readonly maxRecord = 64 * 1024 * 1024) {}

  push(chunk: Buffer, out: SplitResult[]): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    if (this.mode === 'unknown') this.detect(false);
    if (this.mode === 'lines') this.splitLines(out, false);
    else if (this.mode === 'scan') this.scan(out);
  }

  end(out: SplitResult[]): void {
    if (this.mode === 'unknown') this.detect(true);
    if (this.mode === 'lines') this.splitLines(out, true);
    else if (this.mode === 'scan') {
      this.scan(out);
      if (this.valueStart >= 0 && !this.skipping)
        out.push({ diagnostic: diag('SW1008', 'input ends inside a JSON value', this.loc(this.valueStart, this.valueLine)) });
    }
    this.buf = Buffer.alloc(0);
  }

  private loc(i: number, line: number) {
    return { file: this.file, line, offset: this.base + i };
  }

  /** Chooses NDJSON when the first non-blank line is a complete value, the scanner otherwise. */
  private detect(final: boolean): void {
    let i = 0;
    if (this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) i = 3;
    while (i < this.buf.length && (this.buf[i] <= 0x20)) i++;
    if (i >= this.buf.length) {
      if (final) this.mode = 'lines';
      return;
    }
    if (this.buf[i] === OPEN_ARR) {
      this.mode = 'scan';
      return;
    }
    const nl = this.buf.indexOf(NL, i);
    if (nl < 0 && !final && this.buf.length < this.maxRecord) return;
    const first = this.buf.toString('utf8', i, nl < 0 ? this.buf.length : nl).trim();
    try {
      JSON.parse(first);
      this.mode = 'lines';
    } catch {
      this.mode = 'scan';
    }
  }

  private splitLines(out: SplitResult[], final: boolean): void {
    const b = this.buf;
    let start = 0;
    if (this.skipping) {
      // the rest of an oversized line: drop it without a second report
      const nl = b.indexOf(NL);
      if (nl < 0) { this.base += b.length; this.buf = Buffer.alloc(0); return; }
      this.skipping = false;
      start = nl + 1;
      this.line++;
    }
    for (;;) {
      const nl = b.indexOf(NL, start);
      if (nl < 0) break;
      this.emitLine(b, start, nl, out, false);
      start = nl + 1;
      this.line++;
    }
    if (final && start < b.length) this.emitLine(b, start, b.length, out, true);
    else if (b.length - start > this.maxRecord) {
      out.push({ diagnostic: diag('SW1006', `line longer than ${this.maxRecord} bytes`, this.loc(start, this.line)) });
      this.base += b.length;
      this.buf = Buffer.alloc(0);
      this.skipping = true;
      return;
    }
    this.base += final ? b.length : start;
    this.buf = final ? Buffer.alloc(0) : b.subarray(start);
  }

  private emitLine(b: Buffer, s: number, e: number, out: SplitResult[], last: boolean): void {
    let end = e;
    if (end > s && b[end - 1] === CR) end--;
    let st = s;
    if (this.base + st === 0 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) st = 3;
    while (st < end && b[st] <= 0x20) st++;
    if (st >= end) return;
    const text = b.toString('utf8', st, end);
    try {
      out.push({ value: { value: JSON.parse(text), line: this.line, offset: this.base + s } });
    } catch (err) {
      const code = last ? 'SW1008' : 'SW1003';
      out.push({ diagnostic: diag(code, `${last ? 'truncated' : 'malformed'} JSON: ${(err as Error).message}`, this.loc(s, this.line)) });
    }
    if (text.includes('\uFFFD') && countReplacement(b, st, end) < countChar(text, '\uFFFD'))
      out.push({ diagnostic: diag('SW1004', 'invalid UTF-8 bytes replaced by U+FFFD', this.loc(s, this.line)) });
  }

  /** Depth-tracking scanner for pretty-printed, concatenated or array-wrapped values. */
  private scan(out: SplitResult[]): void {
    const b = this.buf;
    let i = this.pos;
    for (; i < b.length; i++) {
      const c = b[i];
      if (c === NL) { this.scanLine++; this.resync = false; continue; }
      if (this.resync) continue;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === QUOTE) { this.inString = true; continue; }
      if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (this.depth === 0 && c === OPEN_ARR && !this.inArray && this.valueStart < 0) { this.inArray = true; continue; }
        if (this.depth === 0) { this.valueStart = i; this.valueLine = this.scanLine; }
        this.depth++;
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (this.depth === 0) {
          if (c === CLOSE_ARR && this.inArray) this.inArray = false;
          else out.push({ diagnostic: diag('SW1003', 'unexpected closing bracket', this.loc(i, this.scanLine)) });
          continue;
        }
        this.depth--;
        if (this.depth === 0) this.finishValue(b, i + 1, out);
      } else if (this.depth === 0 && c > 0x20 && c !== COMMA && !(c === 0xef || c === 0xbb || c === 0xbf)) {
        out.push({ diagnostic: diag('SW1003', `unexpected byte 0x${c.toString(16)} between JSON values`, this.loc(i, this.scanLine)) });
        this.resync = true; // resynchronise at the next line
      }
    }
    this.compact(i, out);
  }

  private finishValue(b: Buffer, end: number, out: SplitResult[]): void {
    const start = this.valueStart;
    this.valueStart = -1;
    if (this.skipping) { this.skipping = false; return; }
    const text = b.toString('utf8', start, end);
    try {
      out.push({ value: { value: JSON.parse(text), line: this.valueLine, offset: this.base + start } });
    } catch (err) {
      out.push({ diagnostic: diag('SW1003', `malformed JSON: ${(err as Error).message}`, this.loc(start, this.valueLine)) });
    }
  }

  /** Drops consumed bytes; an oversized value is reported once and skipped. */
  private compact(i: number, out: SplitResult[]): void {
    let keep = this.valueStart >= 0 ? this.valueStart : i;
    if (this.valueStart >= 0 && i - this.valueStart > this.maxRecord && !this.skipping) {
      out.push({ diagnostic: diag('SW1006', `JSON value longer than ${this.maxRecord} bytes`, this.loc(this.valueStart, this.valueLine)) });
      this.skipping = true;
    }
    if (this.skipping) keep = i;
    this.base += keep;
    if (this.valueStart >= 0) this.valueStart -= keep;
    this.pos = i - keep;
    this.buf = this.buf.subarray(keep);
  }
}

function countChar(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Counts U+FFFD already present in the bytes (EF BF BD), so only real decoding errors warn. */
function countReplacement(b: Buffer, s: number, e: number): number {
  let n = 0;
  for (let i = b.indexOf(0xef, s); i >= 0 && i < e - 2; i = b.indexOf(0xef, i + 1)) if (b[i + 1] === 0xbf && b[i + 2] === 0xbd) n++;
  return n;
}
