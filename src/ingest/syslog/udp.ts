/**
 * Syslog over UDP: one datagram is one message. A sender cannot be slowed down, so the queue across
 * all senders is bounded (`udpQueue` messages) and what does not fit is dropped, counted and reported
 * (`IngestPort.dropped` and SW6010, once a second per sender), never silently. Each sender gets its own
 * channel so a delivery names one sender and an audit event's lines stay together.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { diag, type Delivery } from '../../core/index.js';
import { Channel } from './channel.js';
import type { ListenAddress, ReceiverContext } from './context.js';
import { decodeFrame } from './framing.js';
import { parseSyslog } from './parse.js';
import { queueMessage } from './records.js';
import { peerName } from './stream.js';

const STREAM = 'syslog-udp';
const REPORT_MS = 1000;

interface Peer { channel: Channel; from: Delivery; sender: string; ip: string; seq: number; lastMs: number }

/** A bound UDP receiver. */
export class UdpReceiver {
  readonly socket: Socket;
  private readonly peers = new Map<string, Peer>();
  private readonly drops = new Map<string, { sender: string; why: string; n: number }>();
  private queued = 0; // messages in every sender's channel, pending or in flight
  private readonly timer: NodeJS.Timeout;

  private constructor(private readonly ctx: ReceiverContext, listen: ListenAddress) {
    // a large receive buffer absorbs bursts the event loop has not yet read: kernel drops are invisible
    this.socket = createSocket({ type: listen.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 8 << 20 });
    this.socket.on('message', (buf, rinfo) => this.onMessage(buf, rinfo));
    this.timer = setInterval(() => this.report(), REPORT_MS);
    this.timer.unref();
  }

  /** Binds the UDP listener. */
  static async start(listen: ListenAddress, ctx: ReceiverContext): Promise<UdpReceiver> {
    const r = new UdpReceiver(ctx, listen);
    try {
      await new Promise<void>((resolve, reject) => {
        r.socket.once('error', reject);
        r.socket.bind(listen.port, listen.host, () => { r.socket.off('error', reject); resolve(); });
      });
    } catch (e) {
      clearInterval(r.timer);
      r.socket.close();
      throw e;
    }
    r.socket.on('error', () => { /* a UDP socket error (ICMP replies) must not end the receiver */ });
    return r;
  }

  /** Stops receiving and reports the last drop counts; the channels are drained by the server. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await new Promise<void>((r) => this.socket.close(() => r()));
    this.report();
  }

  private onMessage(buf: Buffer, rinfo: RemoteInfo): void {
    if (this.ctx.closing) return;
    const now = Date.now();
    const p = this.peerOf(rinfo, now);
    if (!p) { this.drop(peerName(rinfo.address, rinfo.port).sender, 'too many senders'); return; }
    if (this.queued >= this.ctx.opts.udpQueue) { this.drop(p.sender, 'queue full'); return; }
    p.seq++;
    p.lastMs = now;
    const loc = { file: STREAM, record: p.seq };
    if (buf.length > this.ctx.opts.maxFrame) {
      this.ctx.port.report(diag('SW6003', `datagram of ${buf.length} bytes exceeds ${this.ctx.opts.maxFrame} (skipped) from ${p.sender}`, loc), p.from);
      return;
    }
    const text = decodeFrame(buf);
    if (text === undefined) {
      this.ctx.port.report(diag('SW6009', `datagram is not valid UTF-8 (skipped) from ${p.sender}`, loc), p.from);
      return;
    }
    this.ctx.stats.messages++;
    this.queued++;
    p.channel.push(queueMessage(parseSyslog(text, now), p.ip, STREAM, { seq: p.seq, receivedMs: now }));
  }

  /** The sender's state; undefined when `maxConnections` senders are active (the datagram is dropped). */
  private peerOf(r: RemoteInfo, now: number): Peer | undefined {
    const { ip, sender } = peerName(r.address, r.port);
    let p = this.peers.get(sender);
    if (p) return p;
    if (this.peers.size >= this.ctx.opts.maxConnections) this.evictIdle(now, 0);
    if (this.peers.size >= this.ctx.opts.maxConnections) return undefined;
    const from: Delivery = { stream: STREAM, sender };
    p = { channel: new Channel(this.ctx.port, from, this.ctx.opts, { sent: (n) => { this.queued -= n; } }), from, sender, ip, seq: 0, lastMs: now };
    this.peers.set(sender, p);
    this.ctx.channels.set(p.channel, from);
    return p;
  }

  private drop(sender: string, why: string): void {
    const key = `${why}|${sender}`;
    const d = this.drops.get(key);
    if (d) d.n++;
    else if (this.drops.size < 10_000) this.drops.set(key, { sender, why, n: 1 });
    else this.drops.set(`${why}|other`, { sender: 'other', why, n: (this.drops.get(`${why}|other`)?.n ?? 0) + 1 }); // bounded under spoofed floods
    this.ctx.stats.udpDropped++;
  }

  /** Drops are reported in one call per sender and interval, not one per datagram of a flood. */
  private report(): void {
    for (const { sender, why, n } of this.drops.values()) {
      const from: Delivery = { stream: STREAM, sender };
      this.ctx.port.dropped(n, from, why);
      this.ctx.port.report(diag('SW6010', `${n} datagrams from ${sender} dropped: ${why}`, { file: STREAM }), from);
    }
    this.drops.clear();
    this.evictIdle(Date.now(), this.ctx.opts.idleMs);
  }

  /** Forgets senders quiet for `idleMs` with nothing queued (bounds the peer table). */
  private evictIdle(now: number, idleMs: number): void {
    for (const [k, p] of this.peers) {
      if (p.channel.idle && now - p.lastMs >= idleMs) {
        this.peers.delete(k);
        this.ctx.channels.delete(p.channel);
      }
    }
  }
}
