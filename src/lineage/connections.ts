/**
 * Joins connections a network sensor saw (Zeek conn, NetFlow: no process) to the endpoint event that
 * saw the same connection with its process (Sysmon 3, auditd connect, osquery sockets): same protocol,
 * same two address:port ends in either direction, start times within `windowMs`. Sensor events are
 * held for `windowMs` of event time so the endpoint event may arrive after them. Bounded.
 */
import type { NetworkEvent, ProcessInfo } from '../core/index.js';

interface Seen { host: string; process: ProcessInfo; ancestors: ProcessInfo[]; time: number }

function key(ev: NetworkEvent): string | undefined {
  if (!ev.srcIp || !ev.dstIp || ev.srcPort === undefined || ev.dstPort === undefined) return undefined;
  const a = `${ev.srcIp}:${ev.srcPort}`, b = `${ev.dstIp}:${ev.dstPort}`;
  const proto = (ev.protocol ?? 'tcp').toLowerCase();
  return a < b ? `${proto}|${a}|${b}` : `${proto}|${b}|${a}`;
}

export class ConnectionJoin {
  private readonly seen = new Map<string, Seen[]>();
  private readonly held: NetworkEvent[] = [];
  joined = 0;

  constructor(private readonly windowMs = 120_000, private readonly max = 200_000) {}

  /** Remembers an endpoint connection (after lineage attached its process). */
  endpoint(ev: NetworkEvent): void {
    const k = key(ev);
    if (!k || (!ev.process.image && ev.process.pid === undefined)) return;
    const list = this.seen.get(k) ?? [];
    list.push({ host: ev.host, process: ev.process, ancestors: ev.ancestors ?? [], time: ev.time });
    if (list.length > 8) list.shift();
    this.seen.delete(k);
    this.seen.set(k, list);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value as string);
  }

  /** Drops the endpoint connections host `h` reported (a scan: evictions are rare). */
  forget(h: string): void {
    const host = h.toLowerCase();
    for (const [k, list] of this.seen) {
      const kept = list.filter((x) => x.host.toLowerCase() !== host);
      if (kept.length === list.length) continue;
      if (kept.length) this.seen.set(k, kept);
      else this.seen.delete(k);
    }
  }

  /** Holds a sensor connection until the join window has passed in event time. */
  hold(ev: NetworkEvent): void {
    this.held.push(ev);
  }

  /** Releases held sensor connections older than `now - window` (all when `now` is Infinity), joined where possible. */
  release(now: number, out: NetworkEvent[]): void {
    while (this.held.length && (!Number.isFinite(this.held[0].time) || this.held[0].time < now - this.windowMs || now === Infinity)) {
      const ev = this.held.shift()!;
      this.join(ev);
      out.push(ev);
    }
  }

  private join(ev: NetworkEvent): void {
    const k = key(ev);
    const list = k ? this.seen.get(k) : undefined;
    if (!list) return;
    let best: Seen | undefined;
    for (const s of list) if (Math.abs(s.time - ev.time) <= this.windowMs && (!best || Math.abs(s.time - ev.time) < Math.abs(best.time - ev.time))) best = s;
    if (!best) return;
    ev.sensor = ev.host;
    ev.host = best.host;
    ev.process = { ...best.process };
    ev.ancestors = best.ancestors;
    this.joined++;
  }
}
