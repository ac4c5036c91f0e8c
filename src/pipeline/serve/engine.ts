/**
 * The live engine behind `serve`: receivers hand it deliveries (IngestPort), it commits them to the
 * store and only then answers; one detection loop takes committed events in store order through the
 * streaming pipeline (stream.ts, the same object `hunt` drives) and writes alerts, process nodes and
 * normalized fields back. After a restart it replays the store's events from before its detection
 * cursor (a bounded horizon) to rebuild lineage, then goes on: alert ids are content-derived and the
 * store writes them idempotently, so a replay never duplicates.
 */
import { BusyError, diag, recordKey, type AcceptResult, type Delivery, type Diagnostic, type IngestPort, type RawRecord, type ShellEvent } from '../../core/index.js';
import { readBuffer } from '../../ingest/bytes.js';
import type { EventInput, Store, StoredAlert } from '../../store/contract.js';
import { prepareHunt, type HuntSetup } from '../setup.js';
import { StreamPipeline } from '../stream.js';
import { Batch, searchFields } from './batch.js';
import type { ServeConfig } from './config.js';
import { LatencyHistogram } from './latency.js';
import { GroupWriter, type Written } from './writer.js';

interface Queued { seq: number; ev: ShellEvent; receivedMs: number }

const CURSOR = 'detect.cursor';
/** events replayed from before the cursor after a restart, to rebuild lineage and correlation state */
const REPLAY_HORIZON = 1_000_000;
/**
 * Events per detection pass. Small: the pass runs on the thread that answers senders, so its length is
 * added to their acknowledgements (and to the next events' alert latency); one commit per pass.
 */
const PASS = 128;
/** passes while replaying the backlog after a restart: nobody waits on those */
const REPLAY_PASS = 2000;
const RETENTION_EVERY_MS = 3_600_000;

export class Engine implements IngestPort {
  readonly started = Date.now();
  readonly histogram = new LatencyHistogram();
  readonly counters = { eventsIn: 0, eventsDuplicate: 0, alertsStored: 0, dropped: {} as Record<string, number>, diagnostics: {} as Record<string, number> };
  /** the last diagnostics receivers and the pipeline reported, newest last */
  readonly recent: Diagnostic[] = [];
  private pipeline!: StreamPipeline;
  private queue: Queued[] = [];
  private pumping: Promise<void> | undefined;
  private current: Batch | undefined;
  private readonly receivedAt = new Map<number, number>();
  private readonly subscribers = new Set<(a: StoredAlert) => void>();
  private replayTo = 0;
  private replayAt = 0;
  private replayed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  /** raw events deleted by retention so far */
  purged = 0;
  private closed = false;

  private constructor(readonly store: Store, readonly config: ServeConfig, public setup: HuntSetup) {
    this.writer = new GroupWriter(store, () => this.highest, (evs, w, at) => this.committed(evs, w, at));
  }

  /** Opens the engine over an open store: loads rules and lists, starts replaying the backlog. */
  static async open(store: Store, config: ServeConfig): Promise<Engine> {
    const setup = await prepareHunt({ rules: config.rules.paths.length ? { paths: config.rules.paths, statuses: config.rules.statuses } : undefined, knownGood: { allowlist: config.allowlist, groups: config.groups } });
    const e = new Engine(store, config, setup);
    for (const d of setup.diagnostics) e.note(d);
    e.pipeline = e.newPipeline();
    const cursor = Number(await store.getPosition(CURSOR) ?? 0) || 0;
    e.replayAt = Math.max(0, cursor - REPLAY_HORIZON);
    e.replayTo = await store.lastSeq();
    // what is stored already is the replay's: a delivery repeating it is not detected again
    e.highest = e.replayTo;
    e.idleTimer = setInterval(() => e.kick(true), Math.max(50, Math.floor(config.pipeline.idleFlushMs / 2)));
    e.idleTimer.unref();
    if (config.retentionDays > 0) {
      const purge = () => void e.purge();
      e.retentionTimer = setInterval(purge, RETENTION_EVERY_MS);
      e.retentionTimer.unref();
      setImmediate(purge);
    }
    e.kick(false);
    return e;
  }

  newPipeline(setup: HuntSetup = this.setup): StreamPipeline {
    const p = this.config.pipeline;
    return new StreamPipeline(setup, { detectors: this.config.rules.builtin ? 'builtin' : [], statuses: this.config.rules.statuses, reorderWindowMs: p.reorderWindowMs, maxSkewMs: p.maxSkewMs, maxHosts: p.maxHosts, alertIds: true }, {
      alert: (a, ev) => this.current?.alert(a as typeof a & { id: string }, ev),
      diagnostic: (d) => this.note(d),
      linked: (ev) => this.current?.linked(ev),
    });
  }

  /** Swaps the Sigma rules without losing lineage state (rules reload). */
  replaceSetup(setup: HuntSetup): void {
    this.setup = setup;
    this.pipeline.replaceSetup(setup);
  }

  async accept(records: RawRecord[], from: Delivery): Promise<AcceptResult> {
    if (this.closed) throw new BusyError(5, 'shutting down');
    // what waits for detection, counting deliveries still being written (one large delivery into an empty queue always goes)
    const waiting = this.queue.length + this.writer.waiting;
    if (waiting && waiting + records.length > this.config.limits.queueEvents) throw new BusyError(1);
    if (!records.length) return { accepted: 0, duplicates: 0, seqs: [] };
    const receivedMs = from.receivedMs ?? Date.now();
    // a followed file is this machine's own log: a record naming no host (auditd without node=) is this host's
    const local = from.stream.startsWith('follow:') ? from.sender : undefined;
    const inputs = records.map((r): EventInput => {
      r.ref.stream = from.stream;
      if (from.sender) r.ref.sender = from.sender;
      if (local && !r.system.computer && r.data['host.name'] === undefined && r.data['host.hostname'] === undefined) r.system.computer = local;
      return { key: recordKey(r.format, r.system, r.data), receivedMs, stream: from.stream, sender: from.sender, record: r };
    });
    // normalized once, here: its searchable fields go into the store with the record, the event to detection
    const evs = records.map((r) => this.setup.normalizer.normalize(r));
    evs.forEach((ev, i) => { inputs[i].fields = searchFields(ev); });
    // group commit, one writer: seqs reach the queue in store order (writer.ts)
    const w = await this.writer.write(inputs, evs, receivedMs);
    this.counters.eventsIn += records.length;
    this.counters.eventsDuplicate += w.duplicates;
    return { accepted: records.length, duplicates: w.duplicates, seqs: w.seqs };
  }

  /** A committed delivery: its new records go to detection, in store order. */
  private committed(evs: ShellEvent[], w: Written, receivedMs: number): void {
    for (let i = 0; i < evs.length; i++) {
      if (!w.fresh[i]) continue; // already stored: detected when it first came
      evs[i].event.seq = w.seqs[i];
      this.queue.push({ seq: w.seqs[i], ev: evs[i], receivedMs });
      this.highest = w.seqs[i];
    }
    this.kick(false);
  }

  private highest = 0;
  private readonly writer: GroupWriter;

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

  get queueDepth(): number {
    return this.queue.length + this.writer.waiting + (this.replayed ? 0 : Math.max(0, this.replayTo - this.replayAt));
  }

  get hosts(): number {
    return this.pipeline.hosts;
  }

  get evictions(): number {
    return this.pipeline.evictions;
  }

  ready(): boolean {
    return this.replayed && !this.closed;
  }

  /** Waits until everything accepted so far has been through detection and stored. */
  async settle(): Promise<void> {
    while (this.pumping || this.queue.length || !this.replayed) {
      this.kick(false);
      await (this.pumping ?? new Promise((r) => setTimeout(r, 5)));
    }
  }

  /** Stops taking deliveries, finishes what was accepted, flushes what hosts still hold. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.idleTimer);
    clearInterval(this.retentionTimer);
    await this.writer.idle();
    await this.settle().catch(() => undefined);
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

  private note(d: Diagnostic): void {
    this.counters.diagnostics[d.code] = (this.counters.diagnostics[d.code] ?? 0) + 1;
    this.recent.push(d);
    if (this.recent.length > 200) this.recent.shift();
  }

  private kick(idle: boolean): void {
    if (this.pumping) { if (idle) this.idleDue = true; return; }
    if (idle) this.idleDue = true;
    if (!this.queue.length && this.replayed && !this.idleDue) return;
    this.pumping = this.pump().catch((e) => this.note(diag('SW9001', `detection loop: ${(e as Error).message}`))).finally(() => { this.pumping = undefined; if (this.queue.length) this.kick(false); });
  }
  private idleDue = false;

  private async pump(): Promise<void> {
    for (;;) {
      const items = await this.next();
      const idle = this.idleDue;
      this.idleDue = false;
      if (!items.length && !idle) return;
      const batch = new Batch((seq) => (seq !== undefined ? this.receivedAt.get(seq) ?? NaN : NaN));
      this.current = batch;
      for (const it of items) {
        this.receivedAt.set(it.seq, it.receivedMs);
        this.pipeline.pushEvent(it.ev, it.receivedMs);
      }
      this.pipeline.release();
      if (idle) this.pipeline.idle(Date.now(), this.config.pipeline.idleFlushMs);
      this.current = undefined;
      await this.persist(batch, items.length ? items[items.length - 1].seq : 0);
      for (const it of items) this.receivedAt.delete(it.seq);
      // let the receivers run between passes (a synchronous store yields only microtasks otherwise)
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** The next events to detect: the backlog from the store first (after a restart), then the queue. */
  private async next(): Promise<Queued[]> {
    if (!this.replayed) {
      const rows = this.replayAt < this.replayTo ? await this.store.readEvents(this.replayAt, Math.min(REPLAY_PASS, this.replayTo - this.replayAt)) : [];
      if (!rows.length) { this.replayed = true; this.highest = Math.max(this.highest, this.replayTo); return this.next(); }
      this.replayAt = rows[rows.length - 1].seq;
      return rows.map((r) => {
        r.record.ref.seq = r.seq;
        return { seq: r.seq, ev: this.setup.normalizer.normalize(r.record), receivedMs: r.receivedMs };
      });
    }
    return this.queue.splice(0, PASS);
  }

  private async persist(batch: Batch, lastSeq: number): Promise<void> {
    if (batch.empty && !lastSeq) return;
    try {
      const fresh = new Set(await this.store.commitDetection({ alerts: batch.alerts.map((x) => x.input), nodes: batch.nodes, hosts: [...batch.hosts.values()], positions: lastSeq ? [[CURSOR, String(lastSeq)]] : [] }));
      const now = Date.now();
      for (const { input, receivedMs } of batch.alerts) {
        if (!fresh.has(input.alert.id)) continue;
        this.counters.alertsStored++;
        if (Number.isFinite(receivedMs)) this.histogram.observe((now - receivedMs) / 1000);
        const stored: StoredAlert = { id: input.alert.id, alert: input.alert, groupKey: input.groupKey, status: 'new', assignee: null, notes: [], createdMs: input.createdMs, updatedMs: input.createdMs };
        for (const fn of this.subscribers) {
          try { fn(stored); } catch { /* a failing subscriber (a closed stream) must not stop the others */ }
        }
      }
    } catch (e) {
      this.note(diag('SW6012', `storing detection results failed: ${(e as Error).message}`));
    }
  }
}
