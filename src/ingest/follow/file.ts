/**
 * Follows one path: resumes from the registry, reads appended lines in batches, commits each batch
 * through the IngestPort (one in flight; BusyError waits and retries the same batch), then saves the
 * position. A rotation by rename or a deletion is noticed at end of input: the old descriptor is read
 * to its end before the new file at the path is read from its start; a truncation restarts at 0.
 */
import { stat } from 'node:fs/promises';
import { BusyError, diag, type Diagnostic, type IngestPort, type RawRecord } from '../../core/index.js';
import { parseBatch, pickReader, SNIFF_BYTES } from './batch.js';
import { auditCut } from './hold.js';
import { decodePosition, encodePosition, findRotated, isSameFile, type FilePosition, type PositionStore } from './registry.js';
import { Tail, type Batch, type TailLimits } from './tail.js';
import { Waiter } from './waiter.js';

/** What one followed path is doing. */
export type FollowState = 'waiting' | 'following' | 'draining' | 'closed';

/** One followed path's state and counters, as status() reports it. */
export interface FileStatus {
  path: string;
  state: FollowState;
  /** committed position in the file being read (an old file while draining it) */
  offset: number;
  line: number;
  readOffset: number;
  /** bytes read but not committed yet */
  held: number;
  reader: string | null;
  records: number;
  batches: number;
  busyRetries: number;
  rotations: number;
  truncations: number;
}

/** What every followed path shares. */
export interface FollowContext {
  port: IngestPort;
  positions: PositionStore;
  limits: TailLimits;
  pollMs: number;
  /** an auditd event still open at the end is handed over after the file has been quiet this long */
  quietMs: number;
  sender: string;
  report(d: Diagnostic): void;
}

export class FileFollower {
  private tail: Tail | null = null;
  /** the tail is an old file (rotated away): read it to its end, then switch to the path */
  private finishing = false;
  private deleted = false;
  private idle = false;
  private reader: string | null = null;
  private closing = false;
  private resumed = false;
  private lastError = '';
  private readonly waiter = new Waiter();
  private readonly stream: string;
  private readonly counts = { records: 0, batches: 0, busyRetries: 0, rotations: 0, truncations: 0 };

  constructor(readonly path: string, private readonly ctx: FollowContext) {
    this.stream = `follow:${path}`;
  }

  /** Runs until close(): resume, then read / deliver / poll. */
  async run(): Promise<void> {
    try {
      while (!this.closing) {
        // until the registry has been read (a store error is retried), never guess a position
        const more = await this.guard(() => (this.resumed ? this.step() : this.resume()));
        if (!more && !this.closing) await this.waiter.sleep(this.ctx.pollMs, true);
      }
    } finally {
      await this.tail?.close();
      this.tail = null;
    }
  }

  /** A hint (fs.watch) that the path or its directory changed: poll now. */
  hint(): void {
    this.waiter.wake(true);
  }

  /** Stops after the in-flight batch is committed, or abandoned while waiting out a BusyError. */
  close(): void {
    this.closing = true;
    this.waiter.wake(false);
  }

  status(): FileStatus {
    const t = this.tail;
    const state: FollowState = this.closing && !t ? 'closed' : !t ? 'waiting' : this.finishing || this.deleted ? 'draining' : 'following';
    const c = t?.committed ?? { offset: 0, line: 1 };
    return { path: this.path, state, offset: c.offset, line: c.line, readOffset: t?.readOffset ?? 0, held: t?.held ?? 0, reader: this.reader, ...this.counts };
  }

  private async guard(fn: () => Promise<boolean | void>): Promise<boolean> {
    try {
      const r = await fn();
      this.lastError = '';
      return r === true;
    } catch (e) {
      const msg = `cannot read ${this.path}: ${(e as Error).message}`;
      if (msg !== this.lastError) this.ctx.report(diag('SW1001', msg, { file: this.path }));
      this.lastError = msg;
      return false;
    }
  }

  private info(message: string): void {
    this.ctx.report(diag('SW6011', message, { file: this.path, offset: this.tail?.committed.offset }));
  }

  /** Picks up where the registry says; Filebeat-style: a file renamed while we were stopped is found by its inode. */
  private async resume(): Promise<boolean> {
    const saved = decodePosition(await this.ctx.positions.get(this.path));
    const r = await this.place(saved);
    this.resumed = true;
    return r;
  }

  private async place(saved: FilePosition | null): Promise<boolean> {
    if (!saved) return this.openPath();
    if (await isSameFile(this.path, saved)) {
      this.tail = await Tail.open(this.path, saved.offset, saved.line, this.ctx.limits.readChunk);
      return true;
    }
    const st = await stat(this.path).catch(() => null);
    const old = st && st.dev === saved.dev && st.ino === saved.ino ? null : await findRotated(this.path, saved);
    if (old) {
      this.tail = await Tail.open(old, saved.offset, saved.line, this.ctx.limits.readChunk);
      this.finishing = true;
      this.info(`${this.path} was rotated while stopped: reading the rest of ${old} first`);
      return true;
    }
    const why = st && st.ino === saved.ino ? 'was truncated while stopped' : 'was replaced while stopped (the previous file is gone)';
    this.info(`${this.path} ${why}: reading from its start`);
    return this.openPath();
  }

  /** Opens the file at the path from its start; false while there is none. */
  private async openPath(): Promise<boolean> {
    try {
      this.tail = await Tail.open(this.path, 0, 1, this.ctx.limits.readChunk);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return false;
      throw e;
    }
    this.reader = null;
    this.deleted = false;
    await this.save();
    return true;
  }

  /** One round; true when it made progress (so the next one runs at once). */
  private async step(): Promise<boolean> {
    const tail = this.tail;
    if (!tail) return this.openPath();
    const { n, eof } = await tail.fill(this.ctx.limits);
    if (n > 0 && this.idle && !this.finishing && (await tail.headChanged())) return this.truncated('its first bytes changed');
    this.idle = eof;
    const quiet = eof && tail.quietSinceMs !== null && Date.now() - tail.quietSinceMs >= this.ctx.quietMs;
    const batch = await this.nextBatch(tail, quiet);
    if (batch) return this.deliver(tail, batch);
    if (n > 0 || !eof) return true;
    return this.checkFile(tail);
  }

  /** The next batch to hand over; an auditd event still being written is held back until it is whole or the file is quiet. */
  private async nextBatch(tail: Tail, quiet: boolean): Promise<Batch | null> {
    const b = tail.take(this.ctx.limits, (offset, line) => {
      this.ctx.report(diag('SW1006', `line longer than ${this.ctx.limits.maxLine} bytes (skipped)`, { file: this.path, line, offset }));
    });
    if (!b) return null;
    this.reader ??= pickReader(await tail.headBytes(SNIFF_BYTES), this.path);
    if (this.reader !== 'auditd' || this.finishing || (quiet && !b.full)) return b; // quiet: only once every complete line held is in the batch
    const cut = auditCut(b.buf);
    if (cut === b.buf.length || (cut === 0 && b.full)) return b;
    if (cut === 0) return null;
    const buf = b.buf.subarray(0, cut);
    let lines = 0;
    for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) lines++;
    return { ...b, buf, lines, full: false };
  }

  /** At the end of what the descriptor has: has the path been rotated, truncated or deleted? */
  private async checkFile(tail: Tail): Promise<boolean> {
    if (this.finishing) return this.switchToPath(tail);
    const st = await stat(this.path).catch((e: { code?: string }) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    this.deleted = !st;
    if (!st) return false; // deleted or renamed away: keep reading the descriptor until a file reappears
    if (st.dev !== tail.dev || st.ino !== tail.ino) {
      this.finishing = true; // read the old descriptor to its end once more: the writer may have appended before renaming
      return true;
    }
    if (st.size < tail.readOffset) return this.truncated(`its size ${st.size} fell below the offset read ${tail.readOffset}`);
    if (await tail.headChanged()) return this.truncated('its first bytes changed');
    return false;
  }

  private async truncated(why: string): Promise<boolean> {
    this.info(`${this.path} was truncated (${why}): reading from its start`);
    this.tail!.restart();
    this.reader = null;
    this.counts.truncations++;
    await this.save();
    return true;
  }

  /** The old file is read to its end: hand over what is held (a last line without newline too), then follow the new one. */
  private async switchToPath(tail: Tail): Promise<boolean> {
    for (;;) {
      const b = tail.take(this.ctx.limits, () => undefined) ?? tail.takeAll();
      if (!b) break;
      if (!(await this.deliver(tail, b))) return false;
    }
    await tail.close();
    this.tail = null;
    this.finishing = false;
    this.counts.rotations++;
    this.info(`${this.path} was rotated: reading the new file from its start`);
    return this.openPath();
  }

  /** Reads a batch into records, commits them, then moves and saves the position; false when abandoned by close(). */
  private async deliver(tail: Tail, b: Batch): Promise<boolean> {
    const parsed = await parseBatch(b, this.path, this.reader, this.stream);
    for (const d of parsed.diagnostics) this.ctx.report(d);
    if (parsed.records.length && !(await this.accept(parsed.records))) return false;
    tail.commit(b.buf.length, b.lines);
    this.counts.records += parsed.records.length;
    this.counts.batches++;
    await this.save();
    return true;
  }

  /** One delivery, retried (never skipped) until committed; false only when closing. */
  private async accept(records: RawRecord[]): Promise<boolean> {
    for (;;) {
      try {
        // this machine's own file: what names no host is this host's
        await this.ctx.port.accept(records, { stream: this.stream, sender: this.ctx.sender, defaultHost: this.ctx.sender });
        return true;
      } catch (e) {
        let waitMs = Math.max(1000, this.ctx.pollMs * 4);
        if (e instanceof BusyError || (e as { code?: string }).code === 'SW6001') {
          this.counts.busyRetries++;
          waitMs = Math.max(0, Number((e as BusyError).retryAfterS) * 1000 || 0);
        } else this.ctx.report(diag('SW6012', `committing lines of ${this.path} failed (retrying): ${(e as Error).message}`, { file: this.path }));
        if (this.closing) return false;
        await this.waiter.sleep(waitMs, false);
        if (this.closing) return false;
      }
    }
  }

  private async save(): Promise<void> {
    if (!this.tail) return;
    try {
      await this.ctx.positions.set(this.path, encodePosition(await this.tail.position()));
    } catch (e) {
      this.ctx.report(diag('SW6012', `saving the position of ${this.path} failed: ${(e as Error).message}`, { file: this.path }));
    }
  }
}
