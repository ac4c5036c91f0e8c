/**
 * Reverse connections seen by a network sensor alone (Zeek conn, NetFlow), two views:
 *  - beaconing: many connections from one host to one address:port whose start intervals and sizes
 *    are regular (the RITA approach: Bowley skew and median absolute deviation of intervals and of
 *    bytes sent), over a span long enough to exclude bursts — command-and-control polling;
 *  - an interactive session: one long raw TCP connection carrying small packets both ways on a port
 *    no interactive protocol uses — a shell piped over a socket.
 * Stateful and bounded; one finding per tuple.
 */
import type { Finding, NetworkEvent } from '../../../core/index.js';
import { isLocalAddress } from './net.js';

interface Track { times: number[]; sizes: number[]; count: number; first: number; last: number; next: number; done: boolean }

const KEEP = 512;
const MIN_CONNECTIONS = 20;
const MIN_SPAN_MS = 10 * 60_000;
const BEACON_SCORE = 0.8;
const LONG_SESSION_MS = 10 * 60_000;
/** protocols people use interactively on purpose: a long session on these is expected */
const INTERACTIVE_SERVICES = new Set([22, 23, 3389, 5900, 5901, 5985, 5986]);

const q = (a: number[], p: number) => a[Math.min(a.length - 1, Math.floor(p * (a.length - 1)))];
function bowley(a: number[]): number {
  const q1 = q(a, 0.25), q2 = q(a, 0.5), q3 = q(a, 0.75);
  return q3 - q1 ? Math.abs((q3 + q1 - 2 * q2) / (q3 - q1)) : 0;
}
function madm(a: number[]): number {
  const m = q(a, 0.5);
  return q(a.map((x) => Math.abs(x - m)).sort((x, y) => x - y), 0.5);
}
const r2 = (x: number) => Math.round(x * 100) / 100;

export class FlowScorer {
  private readonly tracks = new Map<string, Track>();
  constructor(private readonly maxTracks = 100_000) {}

  /** The flows it tracks (plain data). */
  snapshot(): [string, Track][] {
    return [...this.tracks];
  }

  restore(tracks: [string, Track][]): void {
    this.tracks.clear();
    for (const [k, t] of tracks) this.tracks.set(k, t);
  }

  /** Findings for one sensor connection record. */
  observe(ev: NetworkEvent): Finding[] {
    if (!ev.dstIp || isLocalAddress(ev.dstIp) || !Number.isFinite(ev.time)) return [];
    return [...this.longSession(ev), ...this.beacon(ev)];
  }

  private longSession(ev: NetworkEvent): Finding[] {
    const d = ev.durationMs ?? 0;
    if (d < LONG_SESSION_MS || (ev.protocol ?? '').toLowerCase() !== 'tcp') return [];
    if (ev.dstPort === undefined || INTERACTIVE_SERVICES.has(ev.dstPort)) return [];
    if (ev.service && ev.service !== '-') return []; // the sensor recognised an application protocol
    const po = ev.packetsOut ?? 0, pi = ev.packetsIn ?? 0, bo = ev.bytesOut ?? 0, bi = ev.bytesIn ?? 0;
    if (po < 10 || pi < 10) return [];
    const avgOut = bo / po, avgIn = bi / pi;
    if (avgOut > 400 || avgIn > 400) return [];
    const minutes = Math.round(d / 60_000);
    return [{
      level: 'medium',
      reason: `${ev.srcIp} held a ${minutes}-minute raw TCP session to ${ev.dstIp}:${ev.dstPort} with small packets both ways (${po}/${pi} packets, ${Math.round(avgOut)}/${Math.round(avgIn)} bytes each): the shape of a shell over a socket`,
      evidence: { view: 'interactive-session', remote: `${ev.dstIp}:${ev.dstPort}`, source: ev.srcIp, durationMs: d, packetsOut: po, packetsIn: pi, bytesOut: bo, bytesIn: bi, service: ev.service ?? null, connectionId: ev.connectionId ?? null },
    }];
  }

  private beacon(ev: NetworkEvent): Finding[] {
    const key = `${ev.srcIp}|${ev.dstIp}|${ev.dstPort}|${(ev.protocol ?? '').toLowerCase()}`;
    let t = this.tracks.get(key);
    if (!t) {
      if (this.tracks.size >= this.maxTracks) this.tracks.delete(this.tracks.keys().next().value as string);
      t = { times: [], sizes: [], count: 0, first: ev.time, last: ev.time, next: MIN_CONNECTIONS, done: false };
      this.tracks.set(key, t);
    }
    if (t.done) return [];
    t.count++;
    t.last = Math.max(t.last, ev.time);
    t.first = Math.min(t.first, ev.time);
    t.times.push(ev.time);
    t.sizes.push(ev.bytesOut ?? 0);
    if (t.times.length > KEEP) { t.times.shift(); t.sizes.shift(); }
    if (t.count < t.next) return [];
    t.next *= 2;
    if (t.last - t.first < MIN_SPAN_MS) return [];
    const times = [...t.times].sort((a, b) => a - b);
    const iv = times.slice(1).map((x, i) => (x - times[i]) / 1000).sort((a, b) => a - b);
    const sz = [...t.sizes].sort((a, b) => a - b);
    const f = { intervalSkew: 1 - bowley(iv), intervalDispersion: Math.max(0, 1 - madm(iv) / 30), sizeSkew: 1 - bowley(sz), sizeDispersion: Math.max(0, 1 - madm(sz) / 32) };
    const score = (f.intervalSkew + f.intervalDispersion + f.sizeSkew + f.sizeDispersion) / 4;
    if (score < BEACON_SCORE) return [];
    t.done = true;
    const med = q(iv, 0.5);
    const mins = Math.round((t.last - t.first) / 6000) / 10;
    return [{
      level: 'medium',
      reason: `${ev.srcIp} beacons to ${ev.dstIp}:${ev.dstPort} (${ev.protocol ?? '?'}${ev.service && ev.service !== '-' ? `/${ev.service}` : ''}): ${t.count} connections over ${mins} min, median interval ${med.toFixed(1)} s, regularity ${r2(score)} — command-and-control polling`,
      evidence: { view: 'beaconing', remote: `${ev.dstIp}:${ev.dstPort}`, source: ev.srcIp, connections: t.count, spanMs: t.last - t.first, medianIntervalS: r2(med), medianBytesOut: q(sz, 0.5), score: r2(score),
        features: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, r2(v)])) },
    }];
  }
}
