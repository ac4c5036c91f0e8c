/**
 * One open followed file: reads appended bytes in chunks from an open descriptor (which keeps
 * following the file through a rename or unlink) and cuts them into batches of complete lines. The
 * bytes held are those past the committed position, bounded by the line cap plus one chunk, whatever
 * the file's size; a line longer than the cap is skipped to its newline (reported, SW1006).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { HEAD_BYTES, headHash, type FilePosition } from './registry.js';

/** A run of whole lines (the last may lack its newline only when the file is finished). */
export interface Batch {
  buf: Buffer;
  /** file offset and 1-based line number of buf[0] */
  offset: number;
  line: number;
  /** lines in buf */
  lines: number;
  /** the batch stopped at a limit (more complete lines are held), not for want of a newline */
  full?: boolean;
}

export interface TailLimits {
  readChunk: number;
  /** bytes and lines of one batch at most */
  batchBytes: number;
  batchLines: number;
  /** a longer line is skipped */
  maxLine: number;
}

/** Called when a line longer than the cap is skipped, with its offset and line number. */
export type OnSkip = (offset: number, line: number) => void;

const NL = 0x0a;

export class Tail {
  private pending: Buffer = Buffer.alloc(0);
  /** file offset and line number of pending[0]: everything before it has been handed over and committed */
  private base: number;
  private baseLine: number;
  private readPos: number;
  private skipping = false;
  private readonly chunk: Buffer;
  private head = { head: '', headLen: -1 };
  /** since when (ms) every read has found nothing new, or null after a read that did: tells a quiet file */
  quietSinceMs: number | null = null;

  private constructor(private readonly fh: FileHandle, readonly dev: number, readonly ino: number, offset: number, line: number, readChunk: number) {
    this.base = offset;
    this.baseLine = line;
    this.readPos = offset;
    this.chunk = Buffer.allocUnsafe(readChunk);
  }

  /** Opens `path` to be read from `offset` (at 1-based `line`). */
  static async open(path: string, offset: number, line: number, readChunk: number): Promise<Tail> {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      return new Tail(fh, st.dev, st.ino, offset, line, readChunk);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** The committed position: offset and line. */
  get committed(): { offset: number; line: number } {
    return { offset: this.base, line: this.baseLine };
  }

  /** How far the file has been read. */
  get readOffset(): number {
    return this.readPos;
  }

  /** Bytes read but not handed over yet. */
  get held(): number {
    return this.pending.length;
  }

  /** Reads one chunk; `eof` when the file has nothing more right now. Skipped-over bytes count as read. */
  async fill(limits: TailLimits): Promise<{ n: number; eof: boolean }> {
    if (!this.skipping && this.pending.length > limits.maxLine) return { n: 0, eof: false };
    const { bytesRead } = await this.fh.read(this.chunk, 0, this.chunk.length, this.readPos);
    if (!bytesRead) {
      this.quietSinceMs ??= Date.now();
      return { n: 0, eof: true };
    }
    this.readPos += bytesRead;
    this.quietSinceMs = null;
    let data = this.chunk.subarray(0, bytesRead);
    if (this.skipping) {
      const nl = data.indexOf(NL);
      if (nl < 0) { this.base += bytesRead; return { n: bytesRead, eof: false }; }
      this.base += nl + 1;
      this.baseLine++;
      this.skipping = false;
      data = data.subarray(nl + 1);
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : Buffer.from(data);
    return { n: bytesRead, eof: false };
  }

  /** The next batch of complete lines, or null; lines over the cap at the front are skipped (onSkip). */
  take(limits: TailLimits, onSkip: OnSkip): Batch | null {
    let end = 0;
    let lines = 0;
    let full = false;
    for (;;) {
      const nl = this.pending.indexOf(NL, end);
      if (nl < 0) break;
      full = lines >= limits.batchLines || (lines > 0 && (nl - end > limits.maxLine || nl + 1 > limits.batchBytes));
      if (full) break;
      if (nl - end > limits.maxLine) { this.skipFront(nl + 1, onSkip); continue; }
      end = nl + 1;
      lines++;
    }
    if (!lines && this.pending.length > limits.maxLine) {
      onSkip(this.base, this.baseLine);
      this.base += this.pending.length;
      this.pending = Buffer.alloc(0);
      this.skipping = true;
    }
    return lines ? { buf: this.pending.subarray(0, end), offset: this.base, line: this.baseLine, lines, full } : null;
  }

  /** Everything held, a last line without its newline included: for a file that will not grow again. */
  takeAll(): Batch | null {
    if (!this.pending.length) return null;
    let lines = 0;
    for (let i = this.pending.indexOf(NL); i >= 0; i = this.pending.indexOf(NL, i + 1)) lines++;
    if (this.pending[this.pending.length - 1] !== NL) lines++;
    return { buf: this.pending, offset: this.base, line: this.baseLine, lines };
  }

  /** Marks the first `bytes` (holding `lines` lines) of the held bytes as committed. */
  commit(bytes: number, lines: number): void {
    this.pending = this.pending.subarray(bytes);
    if (!this.pending.length) this.pending = Buffer.alloc(0);
    this.base += bytes;
    this.baseLine += lines;
  }

  /** The file was truncated under us: read it again from its start. */
  restart(): void {
    this.pending = Buffer.alloc(0);
    this.base = 0;
    this.baseLine = 1;
    this.readPos = 0;
    this.skipping = false;
    this.head = { head: '', headLen: -1 };
  }

  /** The committed position as saved in the registry. */
  async position(): Promise<FilePosition> {
    const st = await this.fh.stat();
    if (this.head.headLen < Math.min(HEAD_BYTES, st.size)) this.head = await headHash(this.fh, Math.min(HEAD_BYTES, st.size));
    return { dev: this.dev, ino: this.ino, offset: this.base, line: this.baseLine, size: st.size, ...this.head, headLen: Math.max(0, this.head.headLen) };
  }

  /** True when the first bytes are no longer those the position was taken with (truncated and rewritten). */
  async headChanged(): Promise<boolean> {
    if (this.head.headLen <= 0) return false;
    const now = await headHash(this.fh, this.head.headLen);
    return now.headLen !== this.head.headLen || now.head !== this.head.head;
  }

  /** The file's first bytes, to pick its reader. */
  async headBytes(n: number): Promise<Buffer> {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await this.fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  }

  private skipFront(to: number, onSkip: OnSkip): void {
    onSkip(this.base, this.baseLine);
    this.commit(to, 1);
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}
