/**
 * Ports: interfaces one stage (or face) offers and another calls, so neither imports the other.
 * The live receivers (HTTP ingest, Elasticsearch bulk, syslog, file follow) hand records to an
 * IngestPort, which `serve` implements (pipeline/serve): it commits them to the store before it answers.
 */
import type { Diagnostic } from './diagnostic.js';
import type { RawRecord } from './event.js';

/** Where a delivery came from: the stream's name and the sender (peer address, token name). */
export interface Delivery {
  /** stream name as provenance shows it: `http`, `bulk:INDEX`, `syslog-tcp`, `syslog-udp`, `syslog-tls`, `follow:PATH` */
  stream: string;
  /** peer address `ip:port`, or the authenticated token's name */
  sender?: string;
  /** when the delivery was received, ms since the epoch (defaults to now) */
  receivedMs?: number;
  /**
   * The host a record of this delivery is from when it names none (a followed file is the local
   * machine's own log: auditd without `node=` writes no host)
   */
  defaultHost?: string;
}

/** What became of one delivery. */
export interface AcceptResult {
  /** records committed (durable) by this call, duplicates of already-stored records included */
  accepted: number;
  /** of those, records that were already stored (same content): not stored twice */
  duplicates: number;
  /** store sequence numbers given to the records, in order (duplicates: the earlier record's, or -1 when unknown) */
  seqs?: number[];
}

/** Thrown (or rejected) by accept() when the server's queues are full: retry after `retryAfterS` seconds. */
export class BusyError extends Error {
  readonly code = 'SW6001';
  constructor(readonly retryAfterS: number, message = 'ingest queue full') {
    super(message);
  }
}

export interface IngestPort {
  /**
   * Commits `records` (one delivery) to the store, then queues them for detection. Resolves only once
   * they are durable, so a receiver acknowledges its sender after this and never before. Rejects with
   * BusyError when the queues are full (nothing of the delivery was stored).
   */
  accept(records: RawRecord[], from: Delivery): Promise<AcceptResult>;
  /** diagnostics a receiver met (malformed frames, oversize records): counted and kept, never fatal */
  report(d: Diagnostic, from: Delivery): void;
  /** counts records a receiver had to drop (UDP under load): exposed in metrics, never silent */
  dropped(n: number, from: Delivery, why: string): void;
}
