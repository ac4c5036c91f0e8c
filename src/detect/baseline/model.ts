/**
 * Baseline data: per scope (host, host group, user group), how often each fact (parent→child pair,
 * command template, user→shell) was seen, when first and last, and on which hosts. Learning takes
 * process starts inside the window [from, to); weights halve every `halfLifeDays` after an entry was
 * last seen, and decay() drops entries unseen for `dropAfterDays`.
 */
import type { ShellEvent } from '../../core/index.js';
import { factsOf, scopesOf, subjectOf, type FactKind } from './facts.js';
import { Groups } from './groups.js';
import type { MaskOptions } from './mask.js';

export const DAY_MS = 86_400_000;
/** Most host names an entry lists; `seenOnHosts` saturates here. */
export const MAX_HOSTS = 256;

/** One counted fact in one scope. Times are ms since the epoch. */
export interface BaselineEntry {
  scope: string;
  kind: FactKind;
  value: string;
  first: number;
  last: number;
  count: number;
  /** lower-cased host names, sorted, at most MAX_HOSTS */
  hosts: string[];
}

export interface BaselineParams {
  /** learning window [from, to), ms since the epoch; null = unbounded */
  from: number | null;
  to: number | null;
  /** weights halve every this many days after an entry was last seen (0: no decay) */
  halfLifeDays: number;
  /** decay() drops entries not seen for this many days (0: never) */
  dropAfterDays: number;
  /** template masking: quoted strings this long are masked */
  quotedMin: number;
}

export interface BaselineOptions extends Partial<BaselineParams> { groups?: Groups }

export const DEFAULT_PARAMS: BaselineParams = { from: null, to: null, halfLifeDays: 30, dropAfterDays: 90, quotedMin: 80 };

/** Two start events of one lineage node this close in time are one process seen by two sources. */
const SAME_PROCESS_MS = 60_000;

const keyOf = (scope: string, kind: string, value: string): string => `${scope}\u0000${kind}\u0000${value}`;

/** Inserts `host` into a sorted, bounded list. */
function addHost(hosts: string[], host: string): void {
  let lo = 0, hi = hosts.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (hosts[mid] < host) lo = mid + 1; else hi = mid; }
  if (hosts[lo] === host || hosts.length >= MAX_HOSTS) return;
  hosts.splice(lo, 0, host);
}

/** The learned counts (Baseline adds judging). Not thread-safe; one instance per learning run or hunt. */
export class BaselineData {
  readonly groups: Groups;
  readonly params: BaselineParams;
  private readonly entries = new Map<string, BaselineEntry>();
  /**
   * process nodes already learned per host, with their start time: one process logged by Sysmon 1 and
   * 4688 counts once. The time guards against node ids of another lineage run (ids restart per run).
   */
  private readonly learnedNodes = new Map<string, Map<number, number>>();

  constructor(opts: BaselineOptions = {}) {
    const { groups, ...params } = opts;
    this.groups = groups ?? new Groups();
    this.params = { ...DEFAULT_PARAMS, ...Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) };
  }

  get mask(): MaskOptions { return { quotedMin: this.params.quotedMin }; }
  /** Number of entries (all scopes and kinds). */
  get size(): number { return this.entries.size; }

  /** True when `time` lies in the learning window [from, to). */
  inWindow(time: number): boolean {
    const { from, to } = this.params;
    return Number.isFinite(time) && (from === null || time >= from) && (to === null || time < to);
  }

  /** Learns one event: process starts inside the window only. Returns true when it was counted. */
  learn(ev: ShellEvent): boolean {
    if (ev.kind !== 'process_start' || !this.inWindow(ev.time)) return false;
    const s = subjectOf(ev);
    if (!s) return false;
    if (ev.nodeId !== undefined && this.alreadyLearned(s.host.toLowerCase(), ev.nodeId, ev.time)) return false;
    const facts = factsOf(s, this.mask);
    if (!facts.length) return false;
    const host = s.host.toLowerCase();
    for (const scope of scopesOf(s, this.groups)) {
      this.count(scope, 'events', '', ev.time, host);
      for (const f of facts) this.count(scope, f.kind, f.value, ev.time, host);
    }
    return true;
  }

  private alreadyLearned(host: string, node: number, time: number): boolean {
    let m = this.learnedNodes.get(host);
    if (!m) this.learnedNodes.set(host, (m = new Map()));
    const t = m.get(node);
    if (t !== undefined && Math.abs(t - time) <= SAME_PROCESS_MS) return true;
    m.set(node, time);
    return false;
  }

  private count(scope: string, kind: FactKind, value: string, time: number, host: string): void {
    const k = keyOf(scope, kind, value);
    const e = this.entries.get(k);
    if (!e) { this.entries.set(k, { scope, kind, value, first: time, last: time, count: 1, hosts: [host] }); return; }
    e.count++;
    if (time < e.first) e.first = time;
    if (time > e.last) e.last = time;
    addHost(e.hosts, host);
  }

  /** The entry for a fact in a scope, if learned. */
  get(scope: string, kind: FactKind, value: string): BaselineEntry | undefined {
    return this.entries.get(keyOf(scope, kind, value));
  }

  /** Adds a whole entry (loading, merging): counts add, times widen, hosts unite. */
  put(e: BaselineEntry): void {
    const k = keyOf(e.scope, e.kind, e.value);
    const cur = this.entries.get(k);
    if (!cur) { this.entries.set(k, { ...e, hosts: [...e.hosts].sort().slice(0, MAX_HOSTS) }); return; }
    cur.count += e.count;
    cur.first = Math.min(cur.first, e.first);
    cur.last = Math.max(cur.last, e.last);
    for (const h of e.hosts) addHost(cur.hosts, h);
  }

  /** Decayed weight of an entry at `time`: count halved every halfLifeDays after it was last seen. */
  weight(e: BaselineEntry, time: number): number {
    const hl = this.params.halfLifeDays;
    if (hl <= 0 || !Number.isFinite(time) || time <= e.last) return e.count;
    return e.count * Math.pow(2, -(time - e.last) / (hl * DAY_MS));
  }

  /** Drops entries not seen for dropAfterDays before `now`; returns how many were dropped. */
  decay(now: number): number {
    const days = this.params.dropAfterDays;
    if (days <= 0) return 0;
    let dropped = 0;
    for (const [k, e] of this.entries) if (now - e.last > days * DAY_MS) { this.entries.delete(k); dropped++; }
    return dropped;
  }

  /** Every entry, sorted by scope, kind, value (code-unit order): the store's order. */
  sorted(): BaselineEntry[] {
    return [...this.entries.values()].sort((a, b) => cmp(a.scope, b.scope) || cmp(a.kind, b.kind) || cmp(a.value, b.value));
  }

  /** Earliest first-seen and latest last-seen over all entries, or null when empty. */
  span(): { first: number; last: number } | null {
    let first = Infinity, last = -Infinity;
    for (const e of this.entries.values()) { first = Math.min(first, e.first); last = Math.max(last, e.last); }
    return this.entries.size ? { first, last } : null;
  }
}

/** Code-unit string comparison (locale-independent, so output is the same everywhere). */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
