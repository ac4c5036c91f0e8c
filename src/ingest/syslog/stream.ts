/**
 * Syslog over TCP and TLS: one Framer and one Channel per connection. Reading is paused by the
 * channel while the store is behind (backpressure reaches the sender through TCP flow control); a
 * broken octet count closes the connection, anything LF framing can skip is skipped.
 */
import type { Socket } from 'node:net';
import { diag, type Delivery } from '../../core/index.js';
import { Channel } from './channel.js';
import type { ReceiverContext } from './context.js';
import { decodeFrame, Framer, type FrameResult } from './framing.js';
import { parseSyslog } from './parse.js';
import { queueMessage } from './records.js';

/** `ip:port` of a peer, IPv4-mapped IPv6 addresses written as plain IPv4, IPv6 in brackets. */
export function peerName(address: string | undefined, port: number | undefined): { ip: string; sender: string } {
  const ip = (address ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return { ip, sender: `${ip.includes(':') ? `[${ip}]` : ip}:${port ?? 0}` };
}

/** Takes over one accepted TCP or TLS socket until it closes. */
export function serveConnection(sock: Socket, stream: 'syslog-tcp' | 'syslog-tls', ctx: ReceiverContext): void {
  sock.on('error', () => { /* resets and TLS alerts end in 'close', handled there */ });
  if (ctx.closing || ctx.sockets.size >= ctx.opts.maxConnections) {
    ctx.stats.refused++;
    sock.destroy();
    return;
  }
  new Connection(sock, stream, ctx);
}

class Connection {
  private readonly framer: Framer;
  private readonly channel: Channel;
  private readonly from: Delivery;
  private readonly ip: string;
  private readonly results: FrameResult[] = [];
  private seq = 0;

  constructor(private readonly sock: Socket, private readonly stream: string, private readonly ctx: ReceiverContext) {
    const peer = peerName(sock.remoteAddress, sock.remotePort);
    this.ip = peer.ip;
    this.from = { stream, sender: peer.sender };
    this.framer = new Framer(ctx.opts.maxFrame);
    this.channel = new Channel(ctx.port, this.from, ctx.opts, { pause: () => sock.pause(), resume: () => { if (!ctx.closing) sock.resume(); } });
    ctx.sockets.add(sock);
    ctx.channels.set(this.channel, this.from);
    ctx.stats.connections++;
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('close', () => this.onClose());
    sock.setTimeout(ctx.opts.idleMs, () => this.onIdle());
    sock.setNoDelay(true);
  }

  private onData(chunk: Buffer): void {
    this.framer.push(chunk, this.results);
    this.drain();
    if (this.framer.broken) this.sock.destroy(); // octet counting lost: nothing after this point can be framed
  }

  private onClose(): void {
    this.framer.end(this.results);
    this.drain();
    this.ctx.sockets.delete(this.sock);
    // what was read is delivered even though the peer is gone: it was read, so it must be committed
    void this.channel.end().then(() => this.ctx.channels.delete(this.channel));
  }

  private onIdle(): void {
    if (this.channel.idle) this.sock.destroy();
    else this.sock.setTimeout(this.ctx.opts.idleMs, () => this.onIdle()); // paused by us, not idle
  }

  private drain(): void {
    const now = Date.now();
    const { port } = this.ctx;
    for (const r of this.results.splice(0)) {
      if (r.error) {
        port.report(diag(r.error.code, `${r.error.message} from ${this.from.sender}`, { file: this.stream, offset: r.error.offset }), this.from);
        continue;
      }
      const text = decodeFrame(r.frame.bytes);
      if (text === undefined) {
        port.report(diag('SW6009', `frame is not valid UTF-8 (skipped) from ${this.from.sender}`, { file: this.stream, offset: r.frame.offset }), this.from);
        continue;
      }
      this.ctx.stats.messages++;
      this.channel.push(queueMessage(parseSyslog(text, now), this.ip, this.stream, { seq: ++this.seq, receivedMs: now, offset: r.frame.offset }));
    }
  }
}
