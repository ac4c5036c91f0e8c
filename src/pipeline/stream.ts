/**
 * The streaming pipeline: records are pushed in (`push`), released per host in time order
 * (reorder.ts), linked (lineage), decoded and detected; alerts go to the sinks. `hunt` (hunt-here.ts)
 * and `serve` (serve/engine.ts) are two drivers of this one object: a file hunt pushes every record
 * and flushes at the end; serve pushes each delivery, releases it, releases quiet hosts on a timer
 * (`idle`) and evicts the least recently active host's state past `maxHosts`.
 */
import { alertId, diag, levelRank, recordKey, type Alert, type DetectContext, type Detector, type Diagnostic, type RawRecord, type ShellEvent } from '../core/index.js';
import { Lineage, lineageSnapshot, restoreLineage } from '../lineage/index.js';
import { toAlert } from './alerts.js';
import { ReorderBuffer } from './reorder.js';
import { emptySummary, type HuntSummary } from './summary.js';
import { decodeEvent } from './decode.js';
import { defaultDetectors } from './detectors.js';
import type { HuntSetup } from './setup.js';
import type { SigmaFilter } from './sigma.js';
import type { Level } from '../core/index.js';

export interface StreamOptions {
  /** the detectors to run: 'builtin' for the playbook's (fresh instances: some keep per-hunt state) */
  detectors: Detector[] | 'builtin';
  context?: DetectContext;
  minLevel?: Level;
  /** Sigma rule statuses to report */
  statuses?: string[];
  /** per-host reorder window in event time (default 10 s; 0: each delivery sorted, released at once) */
  reorderWindowMs?: number;
  /** an event more than this ahead of its receive time cannot advance its host's watermark (live input only) */
  maxSkewMs?: number;
  /** hosts whose state is kept; past it the least recently active host's state is evicted (default: no limit) */
  maxHosts?: number;
  /** give every alert its stable id (alert.id) */
  alertIds?: boolean;
}

export interface StreamSinks {
  alert(a: Alert, ev: ShellEvent | undefined): void;
  diagnostic(d: Diagnostic): void;
  /** every event once lineage has linked it, before detection (serve keeps process nodes from these) */
  linked?(ev: ShellEvent): void;
}

export class StreamPipeline {
  /** counts so far (records, events, alerts…); `finish()` completes it */
  readonly summary: HuntSummary = emptySummary();
  /** hosts whose state was evicted under the budget */
  evictions = 0;
  private lineage = new Lineage();
  private readonly reorder: ReorderBuffer<ShellEvent>;
  private readonly own: Detector[];
  private readonly detectors: Detector[];
  private readonly kgContext;
  private readonly ctx: DetectContext;
  private readonly min: number;
  private readonly filter: SigmaFilter;
  private readonly ready: ShellEvent[] = [];
  private readonly linkedEvents: ShellEvent[] = [];
  /** dedup keys per host (dropped with the host's state) */
  private readonly seen = new Map<string, Set<string>>();
  /** live hosts, least recently active first, with the wall time of their last delivery */
  private readonly active = new Map<string, number>();
  private readonly clampedHosts = new Set<string>();

  constructor(private setup: HuntSetup, private readonly opts: StreamOptions, private readonly sinks: StreamSinks) {
    setup.sigma?.engine.reset();
    this.reorder = new ReorderBuffer<ShellEvent>(opts.reorderWindowMs ?? 10_000);
    this.own = opts.detectors === 'builtin' ? defaultDetectors() : opts.detectors;
    this.detectors = [...this.own, ...setup.kg.createDetectors()];
    this.kgContext = opts.context ? undefined : setup.kg.newContext();
    this.ctx = opts.context ?? this.kgContext!;
    this.min = levelRank(opts.minLevel ?? 'informational');
    this.filter = { minLevel: opts.minLevel, statuses: opts.statuses };
    if (setup.sigma) this.summary.rulesLoaded = setup.sigma.listing.filter((r) => r.loaded).length;
  }

  /** Normalizes one record and buffers it for its host; `receivedMs` (live input) bounds its time for the watermark. */
  push(record: RawRecord, receivedMs?: number): ShellEvent {
    const ev = this.setup.normalizer.normalize(record);
    const s = this.summary;
    s.records++;
    s.events++;
    s.eventsByKind[ev.kind] = (s.eventsByKind[ev.kind] ?? 0) + 1;
    let ceiling = Infinity;
    if (receivedMs !== undefined) {
      ceiling = receivedMs + (this.opts.maxSkewMs ?? 5 * 60_000);
      this.touch(ev.host, receivedMs);
    }
    if (this.reorder.push(ev, this.ready, ceiling)) this.clamped(ev, ceiling);
    return ev;
  }

  /** Detects what the reorder buffer has released (call after each batch or delivery). */
  release(): void {
    this.reorder.drain(this.ready);
    this.detectAll();
  }

  /** Releases the buffered events of hosts whose last delivery is `idleMs` or more of wall time before `nowMs`. */
  idle(nowMs: number, idleMs: number): number {
    let n = 0;
    for (const [host, last] of this.active) {
      if (nowMs - last < idleMs) break; // least recently active first
      const before = this.ready.length;
      this.reorder.flushHost(host, this.ready);
      n += this.ready.length - before;
    }
    if (n) this.detectAll();
    return n;
  }

  /** End of input: releases and detects everything held, closes correlation windows. */
  flush(): void {
    this.reorder.flush(this.ready);
    this.detectAll();
    this.lineage.flush(this.linkedEvents);
    this.detect();
    const { sigma, sg } = this.setup;
    if (sigma) {
      for (const m of sigma.engine.flush()) if (sg!.keep(m, this.filter)) this.emit(sg!.sigmaAlert(m, undefined), undefined);
      for (const d of sigma.engine.diagnostics()) this.sinks.diagnostic(d);
    }
  }

  /** Completes the summary's lineage and allowlist figures (after `flush`). */
  finish(): HuntSummary {
    const s = this.summary;
    s.mergedProcesses = this.lineage.tables.merged;
    if (this.lineage.tables.evicted) this.sinks.diagnostic(diag('SW3001', `${this.lineage.tables.evicted} process entries evicted from the lineage tables`));
    if (this.evictions) this.sinks.diagnostic(diag('SW3003', `${this.evictions} idle host(s) evicted under the state budget of ${this.opts.maxHosts} hosts`));
    if (this.kgContext) s.suppressions = this.kgContext.report();
    return s;
  }

  /** Runs `setup`'s Sigma rules from now on (a rules reload), keeping lineage and the other state. */
  replaceSetup(setup: HuntSetup): void {
    setup.sigma?.engine.reset();
    this.setup = { ...this.setup, sg: setup.sg, sigma: setup.sigma };
    if (setup.sigma) this.summary.rulesLoaded = setup.sigma.listing.filter((r) => r.loaded).length;
  }

  /**
   * Everything this pipeline carries from one event to the next (lineage, reorder buffers, dedup keys,
   * active hosts, detector and Sigma state, counts) as one structured-clone-safe value: serialise it
   * (node:v8) before pushing more. A pipeline over the same setup that restore()s it goes on exactly as
   * this one would have (test/pipeline/snapshot.test.ts).
   */
  snapshot(): unknown {
    const detectors: Record<string, unknown> = {};
    for (const d of this.detectors) if (d.snapshot) detectors[d.id] = d.snapshot();
    return {
      version: 1, lineage: lineageSnapshot(this.lineage), reorder: this.reorder.snapshot(), seen: this.seen, active: this.active,
      clampedHosts: this.clampedHosts, evictions: this.evictions, summary: this.summary, detectors, sigma: this.setup.sigma?.engine.snapshot(),
    };
  }

  /** Goes on from a structured clone of another pipeline's snapshot(); throws on a snapshot of another version. */
  restore(data: unknown): void {
    const s = data as { version: number; lineage: unknown; reorder: unknown; seen: Map<string, Set<string>>; active: Map<string, number>; clampedHosts: Set<string>; evictions: number; summary: HuntSummary; detectors: Record<string, unknown>; sigma: unknown };
    if (!s || s.version !== 1) throw new Error('not a pipeline snapshot of this version');
    this.lineage = restoreLineage(s.lineage);
    this.reorder.restore(s.reorder);
    for (const [k, v] of s.seen) this.seen.set(k, v);
    for (const [k, v] of s.active) this.active.set(k, v);
    for (const h of s.clampedHosts) this.clampedHosts.add(h);
    this.evictions = s.evictions;
    Object.assign(this.summary, s.summary);
    for (const d of this.detectors) if (d.restore && s.detectors[d.id] !== undefined) d.restore(s.detectors[d.id]);
    if (s.sigma !== undefined) this.setup.sigma?.engine.restore(s.sigma);
  }

  /** Hosts with live state. */
  get hosts(): number {
    return this.active.size;
  }

  private touch(host: string, nowMs: number): void {
    const key = host.toLowerCase();
    this.active.delete(key);
    this.active.set(key, nowMs);
    const max = this.opts.maxHosts ?? Infinity;
    while (this.active.size > max) this.evict(this.active.keys().next().value as string);
  }

  /** Detects what the host still holds, then lets go of its lineage, sessions and dedup keys. */
  private evict(host: string): void {
    this.active.delete(host);
    this.reorder.flushHost(host, this.ready);
    this.detectAll();
    this.lineage.forget(host, this.linkedEvents);
    this.detect();
    this.seen.delete(host);
    this.clampedHosts.delete(host);
    this.evictions++;
  }

  private clamped(ev: ShellEvent, ceiling: number): void {
    const key = ev.host.toLowerCase();
    if (this.clampedHosts.has(key)) return; // said once per host: a forged clock would flood otherwise
    this.clampedHosts.add(key);
    this.sinks.diagnostic(diag('SW2003', `event time ${new Date(Math.min(ev.time, 8.64e15)).toISOString()} is ahead of its receive time by more than the allowed skew: the host's watermark is held at ${new Date(ceiling).toISOString()} (said once per host)`, { file: ev.event.file, record: ev.event.record ?? undefined, line: ev.event.line, offset: ev.event.offset }));
  }

  private detectAll(): void {
    for (const ev of this.ready) this.lineage.process(ev, this.linkedEvents);
    this.ready.length = 0;
    this.detect();
  }

  private detect(): void {
    for (const ev of this.linkedEvents) {
      this.sinks.linked?.(ev);
      const { layers, variants } = decodeEvent(ev);
      // what fired on the event itself, when there are decoded layers to compare with
      const fired = variants.length ? new Set<string>() : undefined;
      this.detectOne(ev, (a) => {
        fired?.add(a.rule.id);
        if (!a.decoded.length && layers.length) a.decoded = layers;
        this.emit(a, ev);
      });
      // each decoded layer is the event's text to every rule: report what fires only there
      for (const v of variants) {
        this.detectOne(v.ev, (a) => {
          if (fired!.has(a.rule.id)) return;
          fired!.add(a.rule.id);
          a.reason = `in decoded layer ${v.layer} (${v.chain.map((c) => c.technique).join(' → ')}): ${a.reason}`;
          a.decoded = v.chain;
          a.evidence = { ...a.evidence, decodedLayer: v.layer };
          this.emit(a, ev);
        }, true);
      }
    }
    this.linkedEvents.length = 0;
  }

  /** Runs every detector and Sigma rule on one event (or a decoded variant of it). */
  // a decoded layer is text the process carried, not another process: the baseline judges processes only
  private detectOne(ev: ShellEvent, onAlert: (a: Alert) => void, layer = false): void {
    for (const det of layer ? this.own : this.detectors) this.runDetector(det, ev, onAlert);
    const { sigma, sg } = this.setup;
    if (sigma) for (const m of sigma.engine.match(sg!.rawOf(ev))) if (sg!.keep(m, this.filter)) onAlert(sg!.sigmaAlert(m, ev));
  }

  private runDetector(det: Detector, ev: ShellEvent, emit: (a: Alert) => void): void {
    let findings;
    try {
      findings = det.detect(ev, this.ctx);
    } catch (e) {
      this.sinks.diagnostic(diag('SW4002', `detector ${det.id} failed: ${(e as Error).message}`, { file: ev.event.file, record: ev.event.record ?? undefined, line: ev.event.line }, det.id));
      return;
    }
    for (const f of findings) if (levelRank(f.level ?? det.level) >= this.min) emit(toAlert(det, ev, f));
  }

  private emit(a: Alert, ev: ShellEvent | undefined): void {
    const s = this.summary;
    // one process reported by two sources (Sysmon 1 and 4688) is one process: alert on it once per rule
    // and a process beaconing to one endpoint is one finding per rule, not one per connection
    const key = ev?.kind === 'process_start' && ev.nodeId ? ev.nodeId
      : ev?.kind === 'network' && ev.observer !== 'network' && (ev.process.guid || ev.process.pid !== undefined)
        ? `${ev.process.guid ?? ev.process.pid}|${ev.dstIp}:${ev.dstPort}` : undefined;
    if (key !== undefined) {
      const host = ev!.host.toLowerCase();
      let seen = this.seen.get(host);
      if (!seen) { seen = new Set(); this.seen.set(host, seen); }
      const k = `${a.rule.source}:${a.rule.id}|${ev!.kind}|${key}`;
      if (seen.has(k)) { s.alertsDeduplicated++; return; }
      seen.add(k);
    }
    s.alerts++;
    s.alertsByRule[a.rule.id] = (s.alertsByRule[a.rule.id] ?? 0) + 1;
    if (this.setup.kg.baseline && ev) a.baseline = this.setup.kg.baseline.judge(ev);
    if (this.opts.alertIds) a.id = alertId(a, ev && recordKey(ev.format, ev.system, ev.raw));
    this.sinks.alert(a, ev);
  }
}
