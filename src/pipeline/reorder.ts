/**
 * Bounded reorder buffer: releases events in time order once they are `windowMs` older than the
 * newest event seen for the same host (or when `maxSize` events of that host are held), so a child that
 * arrives slightly before its parent in the input still finds the parent in the lineage table. The
 * watermark is per host so that what one host's logs do never depends on which other hosts' logs were
 * read before them (a folder hunted on several workers gives the same alerts as on one). Ties keep
 * input order, so the output is deterministic. Events without a valid time are released first.
 */
export interface Timed { time: number; host?: string }

/** One host's buffer. */
class HostReorder<T extends Timed> {
  private heap: { t: number; seq: number; v: T }[] = [];
  private seq = 0;
  private newest = -Infinity;

  constructor(private readonly windowMs = 10_000, private readonly maxSize = 100_000) {}

  /**
   * Adds `v` and appends every event now safe to release to `out`. `ceiling`: the highest time this
   * event may advance the watermark to (receive time + allowed skew), so a forged future time cannot
   * release the host's buffer early for good; returns true when it was clamped.
   */
  push(v: T, out: T[], ceiling = Infinity): boolean {
    // a zero window releases in arrival order: the output then depends on nothing but that order
    if (this.windowMs <= 0) { out.push(v); return false; }
    const t = Number.isFinite(v.time) ? v.time : -Infinity;
    const clamped = t > ceiling;
    const w = clamped ? ceiling : t;
    if (w > this.newest) this.newest = w;
    this.insert({ t, seq: this.seq++, v });
    this.drain(out);
    return clamped;
  }

  /** Releases what the watermark allows. */
  drain(out: T[]): void {
    while (this.heap.length && (this.heap.length > this.maxSize || this.heap[0].t < this.newest - this.windowMs)) out.push(this.pop());
  }

  /** Releases everything still held, in order. */
  flush(out: T[]): void {
    while (this.heap.length) out.push(this.pop());
  }

  get size(): number {
    return this.heap.length;
  }

  private less(a: { t: number; seq: number }, b: { t: number; seq: number }): boolean {
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }

  private insert(x: { t: number; seq: number; v: T }): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): T {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top.v;
  }
}

export class ReorderBuffer<T extends Timed> {
  private readonly hosts = new Map<string, HostReorder<T>>();

  constructor(private readonly windowMs = 10_000, private readonly maxSize = 100_000) {}

  /** Adds `v` and appends every event now safe to release to `out`; true when its time was clamped to `ceiling`. */
  push(v: T, out: T[], ceiling = Infinity): boolean {
    const key = (v.host ?? '').toLowerCase();
    let h = this.hosts.get(key);
    if (!h) { h = new HostReorder<T>(this.windowMs, this.maxSize); this.hosts.set(key, h); }
    return h.push(v, out, ceiling);
  }

  /** Releases what every host's watermark allows. */
  drain(out: T[]): void {
    for (const h of this.hosts.values()) h.drain(out);
  }

  /** Releases everything host `key` (lower case) holds, in order, and forgets it. */
  flushHost(key: string, out: T[]): void {
    const h = this.hosts.get(key);
    if (!h) return;
    h.flush(out);
    this.hosts.delete(key);
  }

  /** Releases everything still held, host by host in first-seen order. */
  flush(out: T[]): void {
    for (const h of this.hosts.values()) h.flush(out);
  }

  get size(): number {
    let n = 0;
    for (const h of this.hosts.values()) n += h.size;
    return n;
  }

  /** What it holds, per host (structured-clone safe; not a copy). */
  snapshot(): unknown {
    return this.hosts;
  }

  /** Takes back a structured clone of snapshot()'s data (its window and size come from the data). */
  restore(data: unknown): void {
    this.hosts.clear();
    for (const [k, h] of data as Map<string, HostReorder<T>>) this.hosts.set(k, Object.setPrototypeOf(h, HostReorder.prototype) as HostReorder<T>);
  }
}
