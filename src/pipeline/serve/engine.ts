/**
 * The live engine behind `serve`: receivers hand it deliveries (IngestPort); it normalizes them for
 * their searchable fields, keys them by content, commits them (group commit, writer.ts) and only then
 * answers. Detection (detection.ts) reads the committed events back in store order, on a thread of its
 * own under `serve` (detect-thread.ts) or in this one, and stores alerts idempotently by their
 * content-derived ids; new ones come back here for the live stream.
 */
import { BusyError, diag, recordKey, type AcceptResult, type Delivery, type Diagnostic, type IngestPort, type RawRecord } from '../../core/index.js';
import { readBuffer } from '../../ingest/bytes.js';
import type { EventInput, Store, StoreConfig, StoredAlert } from '../../store/contract.js';
import type { HuntSetup } from '../setup.js';
import { searchFields } from './batch.js';
import type { ServeConfig } from './config.js';
import { localDetection, threadDetection, type DetectionHandle, type ReloadResult } from './detect-handle.js';
import { setupOf, type DetectionSink } from './detection.js';
import { GroupWriter, type Written } from './writer.js';

const RETENTION_EVERY_MS = 3_600_000;
const MAINTAIN_EVERY_MS = 500;

export interface EngineOptions {
  /** run detection on a worker thread with its own connection to this store (serve does) */
  thread?: StoreConfig;
}

export class Engine implements IngestPort {
  readonly started = Date.now();
  readonly counters = { eventsIn: 0, eventsDuplicate: 0, dropped: {} as Record<string, number>, diagnostics: {} as Record<string, number> };
  /** the last diagnostics receivers and detection reported, newest last */
  readonly recent: Diagnostic[] = [];
  /** raw events deleted by retention so far */
  purged = 0;
  private detection!: DetectionHandle;
  private readonly writer: GroupWriter;
  private readonly subscribers = new Set<(a: StoredAlert) => void>();
  /** highest seq committed: detection has been told about everything up to it */
  private highest = 0;
  private retentionTimer: NodeJS.Timeout | undefined;
  private maintainTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(readonly store: Store, readonly config: ServeConfig, public setup: HuntSetup) {
    this.writer = new GroupWriter(store, () => this.highest, (w) => this.committed(w));
  }

  /** Opens the engine over an open store: loads rules and lists, starts detection (which replays the backlog). */
  static async open(store: Store, config: ServeConfig, opts: EngineOptions = {}): Promise<Engine> {
    const e = new Engine(store, config, await setupOf(config));
    // what is stored already is the replay's: a delivery repeating it is not detected again
    e.highest = await store.lastSeq();
    const sink: DetectionSink = { alerts: (items) => e.announce(items), diagnostic: (d) => e.note(d) };
    e.detection = opts.thread ? await threadDetection(opts.thread, config, sink, store) : await localDetection(store, config, sink);
    // the store's upkeep (SQLite's search index, in bulk) on the connection that writes
    e.maintainTimer = setInterval(() => { void e.store.maintain().catch((err) => e.note(diag('SW6012', `store upkeep failed: ${(err as Error).message}`))); }, MAINTAIN_EVERY_MS);
    e.maintainTimer.unref();
    if (config.retentionDays > 0) {
      const purge = () => void e.purge();
      e.retentionTimer = setInterval(purge, RETENTION_EVERY_MS);
      e.retentionTimer.unref();
      setImmediate(purge);
    }
    return e;
  }

  async accept(records: RawRecord[], from: Delivery): Promise<AcceptResult> {
    if (this.closed) throw new BusyError(5, 'shutting down');
    // what waits for detection, counting deliveries still being written (one large delivery into an empty queue always goes)
    const waiting = this.queueDepth;
    if (waiting && waiting + records.length > this.config.limits.queueEvents) throw new BusyError(1);
    if (!records.length) return { accepted: 0, duplicates: 0, seqs: [] };
    const receivedMs = from.receivedMs ?? Date.now();
    const local = from.defaultHost;
    const inputs = records.map((r): EventInput => {
      r.ref.stream = from.stream;
      if (from.sender) r.ref.sender = from.sender;
      if (local && !r.system.computer && r.data['host.name'] === undefined && r.data['host.hostname'] === undefined) r.system.computer = local;
      return { key: recordKey(r.format, r.system, r.data), receivedMs, stream: from.stream, sender: from.sender, record: r };
    });
    // the searchable fields go into the store with the record (detection normalizes it again where it runs)
    records.forEach((r, i) => { inputs[i].fields = searchFields(this.setup.normalizer.normalize(r)); });
    const w = await this.writer.write(inputs);
    this.counters.eventsIn += records.length;
    this.counters.eventsDuplicate += w.duplicates;
    return { accepted: records.length, duplicates: w.duplicates, seqs: w.seqs };
  }

  report(d: Diagnostic, _from?: Delivery): void {
    this.note(d);
  }

  dropped(n: number, from: Delivery, why: string): void {
    const k = `${from.stream}|${why}`;
    this.counters.dropped[k] = (this.counters.dropped[k] ?? 0) + n;
  }

  parse(body: Buffer, name: string) {
    return readBuffer(body, name, { maxInflated: this.config.limits.bodyBytes * 8 });
  }

  subscribe(fn: (a: StoredAlert) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** events committed or being committed that detection has not finished */
  get queueDepth(): number {
    const s = this.detection?.stats();
    return this.writer.waiting + Math.max(0, this.highest - (s?.cursor ?? this.highest));
  }

  get hosts(): number { return this.detection.stats().hosts; }
  get evictions(): number { return this.detection.stats().evictions; }
  get alertsStored(): number { return this.detection.stats().alertsStored; }
  get latency() { return this.detection.stats().latency; }

  ready(): boolean {
    return this.detection.stats().ready && !this.closed;
  }

  /** Reloads the configured Sigma rules where detection runs (and here, for the listing). */
  async reloadRules(): Promise<ReloadResult> {
    const r = await this.detection.reload();
    if (r.loaded || !this.config.rules.paths.length) this.setup = await setupOf(this.config);
    return r;
  }

  /** Waits until everything accepted so far has been through detection and stored. */
  async settle(): Promise<void> {
    await this.writer.idle();
    await this.detection.settle();
  }

  /** Stops taking deliveries, finishes what was accepted. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.retentionTimer);
    clearInterval(this.maintainTimer);
    await this.writer.idle();
    await this.detection.close().catch((e) => this.note(diag('SW9001', `closing detection: ${(e as Error).message}`)));
  }

  /** Deletes raw events older than the retention (by receive time); alerts and process nodes stay. */
  async purge(nowMs = Date.now()): Promise<number> {
    if (this.closed || this.config.retentionDays <= 0) return 0;
    try {
      const n = await this.store.purgeEvents(nowMs - this.config.retentionDays * 86_400_000);
      this.purged += n;
      return n;
    } catch (e) {
      this.note(diag('SW6012', `retention: deleting old events failed: ${(e as Error).message}`));
      return 0;
    }
  }

  /** A committed delivery: detection is told how far the store now goes. */
  private committed(w: Written): void {
    for (let i = 0; i < w.seqs.length; i++) if (w.fresh[i] && w.seqs[i] > this.highest) this.highest = w.seqs[i];
    this.detection.notify(this.highest);
  }

  private announce(items: StoredAlert[]): void {
    for (const a of items) {
      for (const fn of this.subscribers) {
        try { fn(a); } catch { /* a failing subscriber (a closed stream) must not stop the others */ }
      }
    }
  }

  private note(d: Diagnostic): void {
    this.counters.diagnostics[d.code] = (this.counters.diagnostics[d.code] ?? 0) + 1;
    this.recent.push(d);
    if (this.recent.length > 200) this.recent.shift();
  }
}
