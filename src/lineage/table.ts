/**
 * Per-host process tables. A process is known by its Sysmon ProcessGuid when the source has one,
 * otherwise by pid plus start time, because Windows and Linux reuse pids: a child is linked to the
 * process that had its parent's pid *at the child's start*, and whose name agrees with the parent
 * name the event carries. The table is bounded: past `maxPerHost` the oldest entries are evicted.
 */
import { baseName, type ProcessInfo } from '../core/index.js';

export interface Node extends ProcessInfo {
  /** unique within the tables: the same process seen by two sources gets one id */
  id: number;
  startMs: number;
  endMs?: number;
  parentNode?: Node;
  /** what this process's own start event said about its parent (used when the parent is not in the table) */
  parentInfo?: ProcessInfo;
}

export interface TableOptions {
  /** processes kept per host before the oldest are evicted (default 200 000) */
  maxPerHost?: number;
  /** clock skew tolerated between a parent's start and its child's (default 5 s) */
  skewMs?: number;
  /** ancestors reported at most (default 32) */
  maxDepth?: number;
}

class HostTable {
  readonly byGuid = new Map<string, Node>();
  readonly byPid = new Map<number, Node[]>();
  /** insertion order, for eviction */
  readonly order = new Set<Node>();
}

export class ProcessTables {
  private readonly hosts = new Map<string, HostTable>();
  private readonly max: number;
  private readonly skew: number;
  readonly maxDepth: number;
  evicted = 0;
  /** process starts merged into a node another source had already reported (Sysmon 1 + 4688) */
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
    if (!t) { t = new HostTable(); this.hosts.set(key, t); }
    return t;
  }

  /** Finds the process `p` refers to on host `h` at time `at`. */
  lookup(h: string, p: ProcessInfo, at: number): Node | undefined {
    const t = this.host(h);
    if (p.guid) {
      const n = t.byGuid.get(p.guid.toLowerCase());
      if (n) return n;
    }
    if (p.pid === undefined) return undefined;
    const list = t.byPid.get(p.pid);
    if (!list) return undefined;
    const name = baseName(p.image);
    const when = Number.isFinite(at) ? at : Infinity;
    for (let i = list.length - 1; i >= 0; i--) {
      const n = list[i];
      if (n.startMs > when + this.skew) continue;
      if (n.endMs !== undefined && n.endMs + this.skew < when) continue;
      if (name && n.image && baseName(n.image) !== name) continue;
      return n;
    }
    return undefined;
  }

  /**
   * A node already recorded for this very process by another source: same pid, same image name, start
   * within the skew, and not contradicted by a different guid.
   */
  private sameProcess(t: HostTable, proc: ProcessInfo, at: number): Node | undefined {
    if (proc.pid === undefined || !Number.isFinite(at)) return undefined;
    const list = t.byPid.get(proc.pid);
    if (!list) return undefined;
    const name = baseName(proc.image);
    for (let i = list.length - 1; i >= 0; i--) {
      const n = list[i];
      if (Math.abs(n.startMs - at) > this.skew) continue;
      if (!name || baseName(n.image) !== name) continue;
      if (proc.guid && n.guid && proc.guid.toLowerCase() !== n.guid.toLowerCase()) continue;
      return n;
    }
    return undefined;
  }

  /** Records a started process and links it to its parent; returns its node (an existing one when merged). */
  add(h: string, proc: ProcessInfo, parent: ProcessInfo, at: number): Node {
    const t = this.host(h);
    const same = this.sameProcess(t, proc, at);
    if (same) {
      for (const [k, v] of Object.entries(proc)) if (v !== undefined && v !== '' && (same as unknown as Record<string, unknown>)[k] === undefined) (same as unknown as Record<string, unknown>)[k] = v;
      if (proc.guid && !t.byGuid.has(proc.guid.toLowerCase())) t.byGuid.set(proc.guid.toLowerCase(), same);
      if (!same.parentNode) {
        same.parentNode = this.lookup(h, parent, at);
        if (same.parentNode) same.parentInfo = undefined;
      }
      this.merged++;
      return same;
    }
    const node: Node = { ...proc, id: this.nextId++, startMs: Number.isFinite(at) ? at : 0 };
    node.parentNode = this.lookup(h, parent, at);
    if (!node.parentNode && (parent.pid !== undefined || parent.image || parent.guid)) node.parentInfo = parent;
    if (node.guid) t.byGuid.set(node.guid.toLowerCase(), node);
    if (node.pid !== undefined) {
      const list = t.byPid.get(node.pid) ?? [];
      // keep each pid's list ordered by start time (input may be slightly out of order)
      let i = list.length;
      while (i > 0 && list[i - 1].startMs > node.startMs) i--;
      list.splice(i, 0, node);
      t.byPid.set(node.pid, list);
    }
    t.order.add(node);
    if (t.order.size > this.max) this.evictOldest(t);
    return node;
  }

  /** Marks a process as exited; it stays visible (for late children and connections) until evicted. */
  end(h: string, proc: ProcessInfo, at: number): void {
    const n = this.lookup(h, proc, at);
    if (n && Number.isFinite(at)) n.endMs = at;
  }

  /** The chain above `node` (its parent first), bounded in depth and safe against cycles. */
  ancestors(node: Node | undefined): Node[] {
    const out: Node[] = [];
    const seen = new Set<Node>();
    let last = node;
    for (let n = node?.parentNode; n && !seen.has(n) && out.length < this.maxDepth; n = n.parentNode) {
      seen.add(n);
      out.push(n);
      last = n;
    }
    // the chain ends at a process whose parent never started in the input: report what its event said
    if (last?.parentInfo && !last.parentNode && out.length < this.maxDepth) out.push({ ...last.parentInfo, id: 0, startMs: 0 });
    return out;
  }

  private evictOldest(t: HostTable): void {
    const n = t.order.values().next().value as Node;
    t.order.delete(n);
    if (n.guid && t.byGuid.get(n.guid.toLowerCase()) === n) t.byGuid.delete(n.guid.toLowerCase());
    if (n.pid !== undefined) {
      const list = t.byPid.get(n.pid);
      if (list) {
        const i = list.indexOf(n);
        if (i >= 0) list.splice(i, 1);
        if (!list.length) t.byPid.delete(n.pid);
      }
    }
    this.evicted++;
  }
}
