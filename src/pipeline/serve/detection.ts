/**
 * Detection over the store: committed events, read back in store order, go through the streaming
 * pipeline (stream.ts, the object `hunt` drives too); each pass's alerts, process nodes, host counts and
 * the detection cursor are committed together (store.commitDetection). The store is the log: after a
 * restart this replays the events from before its cursor (a bounded horizon) to rebuild lineage, and
 * alert ids are content-derived, written idempotently, so a replay never duplicates. It runs on its own
 * thread under `serve` (detect-thread.ts), in the caller's thread in tests.
 */
import { deserialize, serialize } from 'node:v8';
import { diag, type Diagnostic } from '../../core/index.js';
import type { DetectionCommit, Store, StoredAlert, StoredEvent } from '../../store/contract.js';
import { prepareHunt, type HuntSetup } from '../setup.js';
import { StreamPipeline } from '../stream.js';
import { Batch } from './batch.js';
import type { ServeConfig } from './config.js';
import { LatencyHistogram } from './latency.js';

const CURSOR = 'detect.cursor';
/** the store snapshot name of the detection state */
export const SNAPSHOT = 'detect.pipeline';
/** events replayed from before the cursor after a restart, to rebuild lineage and correlation state */
const REPLAY_HORIZON = 1_000_000;
/** events per pass: small, so alerts are stored soon after their event (one commit per pass) */
const PASS = 256;
/** passes while replaying the backlog after a restart: nobody waits on those */
const REPLAY_PASS = 2000;

/** What detection tells whoever runs it. */
export interface DetectionSink {
  /** alerts stored for the first time, in order */
  alerts(items: StoredAlert[]): void;
  diagnostic(d: Diagnostic): void;
  /**
   * Commits a pass's results and returns the new alert ids. Default: store.commitDetection on
   * detection's own connection. On its own thread, detection hands them to the ingest thread instead:
   * one connection writes, so SQLite's writers never wait on each other's locks (measured: a second
   * writing connection made the ingest thread sleep in SQLite's busy handler for most of its time).
   */
  commit?(r: DetectionCommit): Promise<string[]>;
  /** Stores a snapshot of the detection state covering every event up to `seq` (default: store.putSnapshot here). */
  snapshot?(seq: number, data: Buffer): Promise<void>;
}

export interface DetectionStats {
  cursor: number;
  ready: boolean;
  hosts: number;
  evictions: number;
  alertsStored: number;
  latency: { buckets: [number, number][]; sum: number; count: number };
}

/** The setup a config asks for: rules, allowlists, groups. */
export function setupOf(config: ServeConfig): Promise<HuntSetup> {
  return prepareHunt({ rules: config.rules.paths.length ? { paths: config.rules.paths, statuses: config.rules.statuses } : undefined, knownGood: { allowlist: config.allowlist, groups: config.groups } });
}

export class Detection {
  readonly histogram = new LatencyHistogram();
  alertsStored = 0;
  private pipeline!: StreamPipeline;
  private current: Batch | undefined;
  private cursor = 0;
  private snapshotAt = 0;
  private upTo = 0;
  private replayTo = 0;
  private pumping: Promise<void> | undefined;
  private idleDue = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(readonly store: Store, readonly config: ServeConfig, private setup: HuntSetup, private readonly sink: DetectionSink) {}

  static async open(store: Store, config: ServeConfig, sink: DetectionSink): Promise<Detection> {
    const setup = await setupOf(config);
    const d = new Detection(store, config, setup, sink);
    for (const x of setup.diagnostics) sink.diagnostic(x);
    d.pipeline = d.newPipeline();
    const saved = Number(await store.getPosition(CURSOR) ?? 0) || 0;
    d.cursor = (await d.restore(saved)) ?? Math.max(0, saved - REPLAY_HORIZON);
    d.snapshotAt = d.cursor;
    d.replayTo = d.upTo = await store.lastSeq();
    d.idleTimer = setInterval(() => { d.idleDue = true; d.kick(); }, Math.max(50, Math.floor(config.pipeline.idleFlushMs / 2)));
    d.idleTimer.unref();
    d.kick();
    return d;
  }

  /**
   * Restores the last snapshot, if there is one no newer than the cursor; returns the seq it covers
   * (detection goes on after it), or undefined to rebuild by replay.
   */
  private async restore(cursor: number): Promise<number | undefined> {
    const snap = await this.store.getSnapshot(SNAPSHOT).catch(() => null);
    if (!snap || snap.seq > cursor) return undefined;
    try {
      this.pipeline.restore(deserialize(snap.data));
      return snap.seq;
    } catch (e) {
      this.pipeline = this.newPipeline();
      this.sink.diagnostic(diag('SW6012', `detection snapshot not used (state rebuilt by replay): ${(e as Error).message}`));
      return undefined;
    }
  }

  /** After a pass: every snapshotEvery events, the state covering everything up to the cursor. */
  private async maybeSnapshot(): Promise<void> {
    const every = this.config.pipeline.snapshotEvery;
    if (!(every > 0) || this.cursor - this.snapshotAt < every || this.cursor < this.replayTo) return;
    await this.writeSnapshot();
  }

  private async writeSnapshot(): Promise<void> {
    if (this.cursor <= this.snapshotAt) return;
    const seq = this.cursor;
    try {
      const data = serialize(this.pipeline.snapshot());
      await (this.sink.snapshot ? this.sink.snapshot(seq, data) : this.store.putSnapshot(SNAPSHOT, seq, data));
      this.snapshotAt = seq;
    } catch (e) {
      this.sink.diagnostic(diag('SW6012', `detection snapshot failed: ${(e as Error).message}`));
    }
  }

  /** Events up to `seq` are committed: detect them. */
  notify(seq: number): void {
    if (seq > this.upTo) this.upTo = seq;
    this.kick();
  }

  stats(): DetectionStats {
    return { cursor: this.cursor, ready: this.cursor >= this.replayTo, hosts: this.pipeline.hosts, evictions: this.pipeline.evictions, alertsStored: this.alertsStored, latency: { buckets: this.histogram.buckets(), sum: this.histogram.sum, count: this.histogram.count } };
  }

  /** Loads the configured rules again without losing lineage; keeps the running set when none of the new ones load. */
  async reload(): Promise<{ loaded: number; failed: number; diagnostics: Diagnostic[] }> {
    const setup = await setupOf(this.config);
    const listing = setup.sigma?.listing ?? [];
    const loaded = listing.filter((r) => r.loaded).length;
    if (this.config.rules.paths.length && !loaded) return { loaded: 0, failed: listing.length, diagnostics: setup.diagnostics };
    this.setup = setup;
    this.pipeline.replaceSetup(setup);
    return { loaded, failed: listing.length - loaded, diagnostics: setup.diagnostics };
  }

  /** Resolves once every event notified so far has been detected and its results stored. */
  async settle(): Promise<void> {
    while (this.pumping || this.cursor < this.upTo) {
      this.kick();
      await (this.pumping ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.settle().catch(() => undefined);
    // a clean stop leaves the state for the next start: nothing to replay
    if (this.config.pipeline.snapshotEvery > 0) await this.writeSnapshot();
    this.closed = true;
    clearInterval(this.idleTimer);
  }

  private newPipeline(): StreamPipeline {
    const p = this.config.pipeline;
    return new StreamPipeline(this.setup, { detectors: this.config.rules.builtin ? 'builtin' : [], statuses: this.config.rules.statuses, reorderWindowMs: p.reorderWindowMs, maxSkewMs: p.maxSkewMs, maxHosts: p.maxHosts, alertIds: true }, {
      alert: (a, ev) => this.current?.alert(a as typeof a & { id: string }, ev),
      diagnostic: (d) => this.sink.diagnostic(d),
      linked: (ev) => this.current?.linked(ev),
    });
  }

  private kick(): void {
    if (this.pumping || this.closed || (this.cursor >= this.upTo && !this.idleDue)) return;
    this.pumping = this.pump()
      .catch((e) => this.sink.diagnostic(diag('SW9001', `detection: ${(e as Error).message}`)))
      .finally(() => { this.pumping = undefined; if (this.cursor < this.upTo) this.kick(); });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const rows = this.cursor < this.upTo ? await this.store.readEvents(this.cursor, this.cursor < this.replayTo ? REPLAY_PASS : PASS) : [];
      const idle = this.idleDue;
      this.idleDue = false;
      if (!rows.length && !idle) return;
      await this.pass(rows, idle);
      // let the rest of this thread run between passes (a synchronous store yields only microtasks)
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  private async pass(rows: StoredEvent[], idle: boolean): Promise<void> {
    const receivedAt = new Map(rows.map((r) => [r.seq, r.receivedMs]));
    const batch = new Batch((seq) => (seq !== undefined ? receivedAt.get(seq) ?? NaN : NaN));
    this.current = batch;
    for (const r of rows) {
      r.record.ref.seq = r.seq;
      this.pipeline.push(r.record, r.receivedMs);
    }
    this.pipeline.release();
    if (idle) this.pipeline.idle(Date.now(), this.config.pipeline.idleFlushMs);
    this.current = undefined;
    const last = rows.length ? rows[rows.length - 1].seq : 0;
    await this.persist(batch, last);
    if (last) this.cursor = last;
    await this.maybeSnapshot();
  }

  private async persist(batch: Batch, lastSeq: number): Promise<void> {
    if (batch.empty && !lastSeq) return;
    try {
      const r: DetectionCommit = { alerts: batch.alerts.map((x) => x.input), nodes: batch.nodes, hosts: [...batch.hosts.values()], positions: lastSeq ? [[CURSOR, String(lastSeq)]] : [] };
      const fresh = new Set(await (this.sink.commit ? this.sink.commit(r) : this.store.commitDetection(r)));
      const now = Date.now();
      const stored: StoredAlert[] = [];
      for (const { input, receivedMs } of batch.alerts) {
        if (!fresh.has(input.alert.id)) continue;
        this.alertsStored++;
        if (Number.isFinite(receivedMs)) this.histogram.observe((now - receivedMs) / 1000);
        stored.push({ id: input.alert.id, alert: input.alert, groupKey: input.groupKey, status: 'new', assignee: null, notes: [], createdMs: input.createdMs, updatedMs: input.createdMs });
      }
      if (stored.length) this.sink.alerts(stored);
    } catch (e) {
      this.sink.diagnostic(diag('SW6012', `storing detection results failed: ${(e as Error).message}`));
    }
  }
}
