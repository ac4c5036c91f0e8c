/**
 * Per-host process tables. A process is known by its Sysmon ProcessGuid when the source has one,
 * otherwise by pid plus start time, because Windows and Linux reuse pids: a child is linked to the
 * process that had its parent's pid *at the child's start*, and whose name agrees with the parent
 * name the event carries. Bounded: past `maxPerHost` the oldest processes are evicted. The storage is
 * compact (host-table.ts); this class is the API lineage uses.
 */
import { baseName, type ProcessInfo } from '../core/index.js';
import { HostTable } from './host-table.js';
import { StringPool } from './strings.js';

/** A process in the tables. Stale once its slot is reused (check with ProcessTables.live). */
export interface ProcRef { table: HostTable; slot: number; gen: number }

export interface TableOptions {
  /** processes kept per host before the oldest are evicted (default 200 000) */
  maxPerHost?: number;
  /** clock skew tolerated between a parent's start and its child's (default 5 s) */
  skewMs?: number;
  /** ancestors reported at most (default 32) */
  maxDepth?: number;
}

/** Slots visited by ancestors() (reused: a chain is at most maxDepth long, checked by a scan). */
const SEEN: number[] = [];

export class ProcessTables {
  private readonly hosts = new Map<string, HostTable>();
  readonly strings = new StringPool();
  private readonly max: number;
  private readonly skew: number;
  readonly maxDepth: number;
  evicted = 0;
  /** process starts merged into a process another source had already reported (Sysmon 1 + 4688) */
  merged = 0;
  private nextId = 1;

  constructor(opts: TableOptions = {}) {
    this.max = opts.maxPerHost ?? 200_000;
    this.skew = opts.skewMs ?? 5_000;
    this.maxDepth = opts.maxDepth ?? 32;
  }

  private host(h: string): HostTable {
    const key = h.toLowerCase();
    let t = this.hosts.get(key);
    if (!t) { t = new HostTable(this.max, this.strings); this.hosts.set(key, t); }
    return t;
  }

  /** Drops host `h`'s processes (evicted as idle under the state budget); returns how many it held. */
  forget(h: string): number {
    const key = h.toLowerCase();
    const t = this.hosts.get(key);
    if (!t) return 0;
    const n = Math.min(t.total, t.cap);
    t.releaseAll();
    this.hosts.delete(key);
    return n;
  }

  /** Hosts with a table. */
  get hostCount(): number {
    return this.hosts.size;
  }

  private ref(t: HostTable, slot: number): ProcRef | undefined {
    return slot >= 0 ? { table: t, slot, gen: t.gen[slot] } : undefined;
  }

  /** Finds the process `p` refers to on host `h` at time `at`. */
  lookup(h: string, p: ProcessInfo, at: number): ProcRef | undefined {
    const t = this.host(h);
    if (p.guid) {
      const s = t.byGuid(p.guid);
      if (s >= 0) return this.ref(t, s);
    }
    if (p.pid === undefined) return undefined;
    return this.ref(t, t.byPid(p.pid, at, this.skew, p.image));
  }

  /** Records a started process and links it to its parent; returns it (the existing one when merged). */
  add(h: string, proc: ProcessInfo, parent: ProcessInfo, at: number): ProcRef {
    const t = this.host(h);
    const when = Number.isFinite(at) ? at : 0;
    const same = this.sameProcess(t, proc, at);
    if (same >= 0) {
      t.complete(same, proc);
      if (t.parentOf(same) < 0) {
        const p = this.lookup(h, parent, at);
        if (p && p.slot !== same) t.setParent(same, p.slot);
      }
      this.merged++;
      return this.ref(t, same)!;
    }
    const p = this.lookup(h, parent, at);
    const slot = t.allocate(() => this.evicted++);
    // the parent may have been the slot just reused: then it is gone
    const parentSlot = p && t.live(p.slot, p.gen) && p.slot !== slot ? p.slot : -1;
    t.fill(slot, this.nextId++, proc, when, parentSlot, parent);
    return this.ref(t, slot)!;
  }

  /** A process another source already recorded: same pid and image name, start within the skew, no other guid. */
  private sameProcess(t: HostTable, proc: ProcessInfo, at: number): number {
    if (proc.pid === undefined || !Number.isFinite(at) || !baseName(proc.image)) return -1;
    const s = t.byPid(proc.pid, at, this.skew, proc.image, proc.guid);
    return s >= 0 && Math.abs(t.start[s] - at) <= this.skew ? s : -1;
  }

  /** Marks a process as exited; it stays visible (for late children and connections) until evicted. */
  end(h: string, proc: ProcessInfo, at: number): void {
    const r = this.lookup(h, proc, at);
    if (r && Number.isFinite(at)) r.table.exit(r.slot, at);
  }

  live(r: ProcRef): boolean {
    return r.table.live(r.slot, r.gen);
  }

  /** The id shared by every event of this process (a Sysmon 1 and a 4688 of it get the same). */
  idOf(r: ProcRef): number {
    return r.table.uid[r.slot];
  }

  info(r: ProcRef): ProcessInfo {
    return this.live(r) ? r.table.info(r.slot) : {};
  }

  /** The chain above `r` (its parent first), bounded in depth and safe against cycles. */
  ancestors(r: ProcRef | undefined): ProcessInfo[] {
    if (!r || !this.live(r)) return [];
    const t = r.table;
    const out: ProcessInfo[] = [];
    const seen = SEEN;
    seen.length = 0;
    seen.push(r.slot);
    let last = r.slot;
    for (let s = t.parentOf(r.slot); s >= 0 && !seen.includes(s) && out.length < this.maxDepth; s = t.parentOf(s)) {
      seen.push(s);
      out.push(t.info(s));
      last = s;
    }
    // the chain ends at a process whose parent never started in the input: report what its event said
    const named = t.parentOf(last) < 0 ? t.namedParent(last) : undefined;
    if (named && out.length < this.maxDepth) out.push(named);
    return out;
  }

  /** Processes live in the tables, and the bytes their storage holds (typed arrays; strings counted apart). */
  stats(): { processes: number; tableBytes: number; strings: number } {
    let processes = 0, tableBytes = 0;
    for (const t of this.hosts.values()) {
      processes += Math.min(t.total, t.cap);
      tableBytes += t.bytes();
    }
    return { processes, tableBytes, strings: this.strings.size };
  }
}
