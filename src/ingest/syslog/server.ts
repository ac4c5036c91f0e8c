/**
 * The syslog receivers of `serve`: UDP, TCP and TLS listeners feeding an IngestPort. Startup binds
 * every configured listener (port 0 works: addresses() tells the bound ports); close() stops reading,
 * gives pending batches `closeTimeoutMs` to commit, counts what could not be committed as dropped,
 * then closes every socket. See docs/syslog.md.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { IngestPort } from '../../core/index.js';
import { limits, type ListenAddress, type ReceiverContext, type SyslogOptions, type SyslogStats } from './context.js';
import { serveConnection } from './stream.js';
import { UdpReceiver } from './udp.js';

export type { ListenAddress, SyslogOptions, SyslogStats } from './context.js';

/** A running set of syslog listeners. */
export interface SyslogServer {
  /** the bound addresses (actual ports when 0 was asked for) */
  addresses(): { udp?: ListenAddress; tcp?: ListenAddress; tls?: ListenAddress };
  /** counters since start */
  stats(): SyslogStats;
  /** stops listening, commits what is pending (within closeTimeoutMs), closes every connection */
  close(): Promise<void>;
}

/** Starts the configured syslog listeners; rejects (with every listener closed) when one cannot bind. */
export async function startSyslog(port: IngestPort, opts: SyslogOptions): Promise<SyslogServer> {
  const ctx: ReceiverContext = { port, opts: limits(opts), stats: { connections: 0, refused: 0, messages: 0, udpDropped: 0 }, sockets: new Set(), channels: new Map(), closing: false };
  const servers: { tcp?: Server; tls?: Server } = {};
  let udp: UdpReceiver | undefined;
  const close = () => shutdown(ctx, Object.values(servers), udp);
  try {
    if (opts.tcp) servers.tcp = await listen(createServer((s) => serveConnection(s, 'syslog-tcp', ctx)), opts.tcp, ctx);
    if (opts.tls) {
      const t = createTlsServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2', handshakeTimeout: 10_000 });
      t.on('secureConnection', (s) => serveConnection(s, 'syslog-tls', ctx));
      t.on('tlsClientError', () => { /* a failed handshake only costs that connection */ });
      servers.tls = await listen(t, opts.tls, ctx);
    }
    if (opts.udp) udp = await UdpReceiver.start(opts.udp, ctx);
  } catch (e) {
    await close();
    throw e;
  }
  return {
    addresses: () => {
      const out: ReturnType<SyslogServer['addresses']> = {};
      if (servers.tcp) out.tcp = bound(servers.tcp.address() as AddressInfo);
      if (servers.tls) out.tls = bound(servers.tls.address() as AddressInfo);
      if (udp) out.udp = bound(udp.socket.address());
      return out;
    },
    stats: () => ({ ...ctx.stats }),
    close,
  };
}

function bound(a: AddressInfo): ListenAddress {
  return { host: a.address, port: a.port };
}

function listen(server: Server, at: ListenAddress, ctx: ReceiverContext): Promise<Server> {
  // the kernel-level cap refuses a flood before a TLS handshake is even paid for
  server.maxConnections = ctx.opts.maxConnections;
  server.on('drop', () => { ctx.stats.refused++; });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => { server.off('error', reject); resolve(server); });
  });
}

/** Ordered teardown: refuse new input, stop reading, commit what was read, then close sockets. */
async function shutdown(ctx: ReceiverContext, servers: Server[], udp: UdpReceiver | undefined): Promise<void> {
  if (ctx.closing) return;
  ctx.closing = true;
  const closed = servers.map((s) => new Promise<void>((r) => s.close(() => r())));
  for (const s of ctx.sockets) s.pause();
  await udp?.close();
  const deadline = new Promise<void>((r) => setTimeout(r, ctx.opts.closeTimeoutMs).unref());
  await Promise.race([Promise.all([...ctx.channels.keys()].map((c) => c.end())), deadline]);
  for (const [c, from] of ctx.channels) {
    const lost = c.stop();
    if (lost) ctx.port.dropped(lost, from, 'server closing');
  }
  ctx.channels.clear();
  for (const s of ctx.sockets) s.destroy();
  await Promise.all(closed);
}
