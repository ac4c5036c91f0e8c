/** State the syslog receivers share: options with their defaults, live sockets and channels, counters. */
import type { Socket } from 'node:net';
import type { Delivery, IngestPort } from '../../core/index.js';
import type { Channel } from './channel.js';
import { DEFAULT_MAX_FRAME } from './framing.js';

/** A listen address. Port 0 asks the system for a free port (see SyslogServer.addresses). */
export interface ListenAddress {
  host: string;
  port: number;
}

/** startSyslog's options; every listener is optional, limits have defaults. */
export interface SyslogOptions {
  udp?: ListenAddress;
  tcp?: ListenAddress;
  /** RFC 5425: octet counting (LF framing is accepted too) over TLS, PEM certificate and key */
  tls?: ListenAddress & { cert: Buffer; key: Buffer };
  /** largest frame or datagram in bytes (default 64 KiB) */
  maxFrame?: number;
  /** a connection's batch goes out this long after its first message (default 20 ms) */
  batchMs?: number;
  /** … or as soon as this many messages are pending (default 500) */
  batchMax?: number;
  /** longest wait for the rest of an audit syscall event whose EOE has not arrived (default 500 ms) */
  auditHoldMs?: number;
  /** open TCP + TLS connections at most (default 1000); more are refused */
  maxConnections?: number;
  /** a connection with no traffic and nothing pending is closed after this long (default 10 min) */
  idleMs?: number;
  /** UDP messages queued across senders before datagrams are dropped and counted (default 10,000) */
  udpQueue?: number;
  /** close() waits this long for pending batches to commit (default 5 s) */
  closeTimeoutMs?: number;
}

export type Limits = Required<Pick<SyslogOptions, 'maxFrame' | 'batchMs' | 'batchMax' | 'auditHoldMs' | 'maxConnections' | 'idleMs' | 'udpQueue' | 'closeTimeoutMs'>>;

/** Counters a receiver keeps (exposed by SyslogServer.stats). */
export interface SyslogStats {
  /** TCP/TLS connections accepted so far */
  connections: number;
  /** connections refused (limit reached or closing) */
  refused: number;
  /** messages framed and queued, all transports */
  messages: number;
  /** UDP datagrams dropped because the queue was full or too many senders were active */
  udpDropped: number;
}

export interface ReceiverContext {
  port: IngestPort;
  opts: Limits;
  stats: SyslogStats;
  sockets: Set<Socket>;
  /** every live channel and its delivery (for shutdown accounting) */
  channels: Map<Channel, Delivery>;
  closing: boolean;
}

/** Options with defaults filled in. */
export function limits(o: SyslogOptions): Limits {
  return {
    maxFrame: o.maxFrame ?? DEFAULT_MAX_FRAME,
    batchMs: o.batchMs ?? 20,
    batchMax: Math.max(1, o.batchMax ?? 500),
    auditHoldMs: o.auditHoldMs ?? 500,
    maxConnections: o.maxConnections ?? 1000,
    idleMs: o.idleMs ?? 10 * 60_000,
    udpQueue: o.udpQueue ?? 10_000,
    closeTimeoutMs: o.closeTimeoutMs ?? 5000,
  };
}
