/**
 * One connection's (or one UDP sender's) batching and backpressure. Messages queue here; a batch goes
 * to IngestPort.accept when `batchMax` are pending or `batchMs` after the first one, one accept at a
 * time so records stay in order. While an accept is pending and more than `batchMax` messages wait, the
 * socket is paused: nothing more is read until the store has committed, which is how "acknowledged =
 * TCP read" holds and how a slow store slows the sender instead of growing memory. BusyError keeps
 * the batch and retries it after `retryAfterS`, socket still paused.
 */
import { BusyError, diag, type Delivery, type IngestPort } from '../../core/index.js';
import { readBatch, takeBatch, type BatchRead, type QueuedMessage } from './records.js';

export interface ChannelOptions {
  batchMs: number;
  batchMax: number;
  /** longest wait for the rest of an audit syscall event (its EOE) */
  auditHoldMs: number;
}

/** What the socket side offers the channel: flow control and a note when the channel has drained. */
export interface ChannelHooks {
  pause?(): void;
  resume?(): void;
  /** called when nothing is pending or in flight any more */
  drained?(): void;
  /** `n` messages left the channel (committed, or given up on stop) */
  sent?(n: number): void;
}

/** Retry delay after an accept failed with something other than BusyError (store trouble). */
const ERROR_RETRY_MS = 1000;

export class Channel {
  private pending: QueuedMessage[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private busy = false; // an accept is in flight or waiting to be retried
  private inflight = 0; // messages of that batch
  private ending = false;
  private stopped = false;
  private paused = false;
  private waiters: (() => void)[] = [];
  private wake: (() => void) | undefined; // ends a retry wait early on stop()

  constructor(private readonly port: IngestPort, private readonly from: Delivery, private readonly opts: ChannelOptions, private readonly hooks: ChannelHooks = {}) {}

  /** Messages queued or in flight. */
  get size(): number {
    return this.pending.length + this.inflight;
  }

  get idle(): boolean {
    return !this.busy && this.pending.length === 0;
  }

  push(q: QueuedMessage): void {
    if (this.stopped) return;
    this.pending.push(q);
    if (this.busy) {
      if (this.pending.length > this.opts.batchMax && !this.paused) { this.paused = true; this.hooks.pause?.(); }
      return;
    }
    if (this.pending.length >= this.opts.batchMax) this.kick();
    else this.arm(q.receivedMs);
  }

  /** Sends everything left (no holding back) and resolves once it is committed or the channel is stopped. */
  end(): Promise<void> {
    this.ending = true;
    if (this.idle || this.stopped) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (!this.busy) this.kick();
    return done;
  }

  /** Gives up (server shutdown): returns how many messages were never committed. */
  stop(): number {
    this.stopped = true;
    clearTimeout(this.timer);
    const lost = this.pending.length + this.inflight;
    this.pending = [];
    this.inflight = 0;
    this.hooks.sent?.(lost);
    this.wake?.();
    this.settle();
    return lost;
  }

  /** Arms the batch timer for `firstMs + afterMs`, or sooner than an already armed (longer) hold. */
  private arm(firstMs: number, afterMs = this.opts.batchMs): void {
    if (this.stopped) return;
    const at = firstMs + afterMs;
    if (this.timer) {
      if (at >= this.timerAt) return;
      clearTimeout(this.timer);
    }
    this.timerAt = at;
    this.timer = setTimeout(() => { this.timer = undefined; this.kick(); }, Math.max(0, at - Date.now()));
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.busy || this.stopped || !this.pending.length) { this.settle(); return; }
    const { batch, held } = takeBatch(this.pending, this.opts.batchMax, Date.now(), this.opts.auditHoldMs, this.ending);
    if (!batch.length) { this.arm(held[0].receivedMs, this.opts.auditHoldMs); return; }
    const sent = new Set(batch);
    this.pending = this.pending.filter((q) => !sent.has(q));
    this.busy = true;
    this.inflight = batch.length;
    void this.deliver(batch);
  }

  private async deliver(batch: QueuedMessage[]): Promise<void> {
    const at: Delivery = { ...this.from, receivedMs: batch[0].receivedMs };
    let read: BatchRead = { records: [], diagnostics: [] };
    try {
      read = await readBatch(batch, this.from.stream, this.from.sender);
    } catch (e) {
      // a reader bug must not wedge the connection: the batch is reported, the rest keeps flowing
      this.port.report(diag('SW9001', `syslog batch could not be read: ${(e as Error).message}`, { file: at.stream }), at);
    }
    for (const d of read.diagnostics) this.port.report(d, at);
    await this.commit(read, at);
    this.busy = false;
    this.hooks.sent?.(this.inflight);
    this.inflight = 0;
    if (this.stopped) return;
    if (this.paused && this.pending.length <= this.opts.batchMax) { this.paused = false; this.hooks.resume?.(); }
    if (this.ending || this.pending.length >= this.opts.batchMax) this.kick();
    else if (this.pending.length) this.arm(this.pending[0].receivedMs);
    else this.settle();
  }

  /** accept() until it commits; the batch is never dropped while the channel runs. */
  private async commit(read: BatchRead, at: Delivery): Promise<void> {
    if (!read.records.length) return;
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.port.accept(read.records, at);
        return;
      } catch (e) {
        if (this.stopped) return;
        if (!this.paused) { this.paused = true; this.hooks.pause?.(); }
        let wait = ERROR_RETRY_MS;
        if (e instanceof BusyError) wait = Math.max(0, e.retryAfterS * 1000);
        else if (attempt === 0) this.port.report(diag('SW6012', `ingest failed, retrying: ${(e as Error).message}`, { file: at.stream }), at);
        await this.sleep(wait);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => { clearTimeout(t); this.wake = undefined; resolve(); };
      const t = setTimeout(() => this.wake?.(), ms);
    });
  }

  private settle(): void {
    if (!this.idle && !this.stopped) return;
    for (const w of this.waiters.splice(0)) w();
    this.hooks.drained?.();
  }
}
