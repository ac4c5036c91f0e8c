/**
 * Syslog over TCP/TLS framing (RFC 6587): LF-delimited ("non-transparent") or octet counting
 * (`LEN SP MSG`, RFC 5425 for TLS). The mode is decided per connection from its first bytes, the way
 * rsyslog's imtcp does: a digit run then a space means octet counting. Every size comes from the peer,
 * so the buffer never holds more than one frame of at most `maxFrame` bytes (plus a length header).
 */

/** One frame's bytes and its byte offset in the connection. */
export interface Frame {
  bytes: Buffer;
  offset: number;
}

/** A framing problem: SW6003 (frame too large) or SW6009 (malformed); `fatal` when framing cannot resync. */
export interface FrameError {
  code: 'SW6003' | 'SW6009';
  message: string;
  offset: number;
  fatal: boolean;
}

export type FrameResult = { frame: Frame; error?: undefined } | { frame?: undefined; error: FrameError };

/** Default largest frame: rsyslog's default message size is 8 KiB, Sysmon XML lines reach tens of KiB. */
export const DEFAULT_MAX_FRAME = 64 * 1024;
/** digits of a length header: enough for any frame up to 1 GB; longer is garbage */
const MAX_LEN_DIGITS = 9;
const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Incremental framer for one connection: push chunks, collect frames and errors. */
export class Framer {
  mode: 'unknown' | 'lf' | 'octet' = 'unknown';
  /** set after a fatal error: the caller closes the connection, further input is ignored */
  broken = false;
  private buf: Buffer = Buffer.alloc(0);
  private base = 0; // connection offset of buf[0]
  private skip = 0; // octet mode: bytes of an oversize frame still to discard
  private discarding = false; // LF mode: inside an oversize line, until its LF

  constructor(private readonly maxFrame = DEFAULT_MAX_FRAME) {}

  /** Bytes held for an unfinished frame. */
  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Buffer, out: FrameResult[]): void {
    if (this.broken) return;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    if (this.mode === 'unknown') this.detect();
    if (this.mode === 'lf') this.lines(out);
    else if (this.mode === 'octet') this.counted(out);
  }

  /** End of the connection: a last LF frame without its LF is still a frame; a cut counted frame is not. */
  end(out: FrameResult[]): void {
    if (this.broken) return;
    if (this.mode === 'octet' && this.buf.some((c) => c !== LF && c !== CR)) {
      out.push({ error: { code: 'SW6009', message: 'connection closed inside an octet-counted frame', offset: this.base, fatal: true } });
    } else if (this.mode !== 'octet' && !this.discarding) {
      this.emit(0, this.buf.length, out);
    }
    this.base += this.buf.length;
    this.buf = Buffer.alloc(0);
  }

  private detect(): void {
    let i = 0;
    while (i < this.buf.length && (this.buf[i] === LF || this.buf[i] === CR)) i++;
    if (i >= this.buf.length) return;
    if (!isDigit(this.buf[i])) { this.mode = 'lf'; return; }
    let j = i;
    while (j < this.buf.length && isDigit(this.buf[j]) && j - i <= MAX_LEN_DIGITS) j++;
    if (j >= this.buf.length) return; // still reading the digit run: wait for more bytes
    this.mode = this.buf[j] === SP && j - i <= MAX_LEN_DIGITS ? 'octet' : 'lf';
  }

  private lines(out: FrameResult[]): void {
    let start = 0;
    for (let nl = this.buf.indexOf(LF); nl >= 0; nl = this.buf.indexOf(LF, start)) {
      if (this.discarding) this.discarding = false;
      else this.emit(start, nl, out);
      start = nl + 1;
    }
    if (!this.discarding && this.buf.length - start > this.maxFrame) {
      out.push({ error: { code: 'SW6003', message: `frame longer than ${this.maxFrame} bytes (skipped to its LF)`, offset: this.base + start, fatal: false } });
      this.discarding = true;
    }
    this.consume(this.discarding ? this.buf.length : start);
  }

  private emit(s: number, e: number, out: FrameResult[]): void {
    let end = e;
    if (end > s && this.buf[end - 1] === CR) end--;
    if (end - s > this.maxFrame) {
      out.push({ error: { code: 'SW6003', message: `frame longer than ${this.maxFrame} bytes (skipped)`, offset: this.base + s, fatal: false } });
    } else if (end > s) {
      out.push({ frame: { bytes: Buffer.from(this.buf.subarray(s, end)), offset: this.base + s } });
    }
  }

  private counted(out: FrameResult[]): void {
    let i = 0;
    const b = this.buf;
    while (i < b.length) {
      if (this.skip > 0) {
        const d = Math.min(this.skip, b.length - i);
        this.skip -= d;
        i += d;
        continue;
      }
      if (b[i] === LF || b[i] === CR) { i++; continue; } // some senders end counted frames with LF too
      let j = i;
      while (j < b.length && isDigit(b[j]) && j - i <= MAX_LEN_DIGITS) j++;
      if (j >= b.length) break; // header not complete yet
      if (j === i || j - i > MAX_LEN_DIGITS || b[j] !== SP || b[i] === 0x30) {
        out.push({ error: { code: 'SW6009', message: 'bad octet count: expected `LEN SP` before the frame', offset: this.base + i, fatal: true } });
        this.broken = true;
        this.buf = Buffer.alloc(0);
        return;
      }
      const len = Number(b.toString('latin1', i, j));
      const body = j + 1;
      if (len > this.maxFrame) {
        out.push({ error: { code: 'SW6003', message: `frame of ${len} bytes exceeds ${this.maxFrame} (skipped)`, offset: this.base + i, fatal: false } });
        this.skip = len;
        i = body;
        continue;
      }
      if (b.length - body < len) break;
      out.push({ frame: { bytes: Buffer.from(b.subarray(body, body + len)), offset: this.base + body } });
      i = body + len;
    }
    this.consume(i);
  }

  private consume(n: number): void {
    this.base += n;
    this.buf = n >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(n);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The frame's text, or undefined when it is not valid UTF-8 (SW6009). */
export function decodeFrame(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
