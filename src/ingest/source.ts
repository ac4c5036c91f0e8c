/**
 * The Source contract: every reader (one folder per format) implements it and is listed once in
 * registry.ts. Readers stream: they never hold a whole file in memory, and they yield results in
 * batches (one promise per batch, not per record) because per-record awaits dominate at 10^5 events/s.
 */
import type { Readable } from 'node:stream';
import type { Diagnostic, RawRecord } from '../core/index.js';

/** One input: a file on disk, an archive entry or stdin. */
export interface Input {
  /** display name used in provenance: `path`, `outer.zip!inner.json`, or `-` */
  name: string;
  /** opens a fresh byte stream of the (decompressed) content */
  open(): Readable;
  /** real path on disk when the input is a plain file (lets a reader seek or use worker threads) */
  path?: string;
  /** size in bytes when known */
  size?: number;
  /** the whole content, when the input was small enough to read at once (saves stream set-up per file) */
  buffer?: Buffer;
}

/** A reader's per-record result: a record, or a located diagnostic. One bad record never stops a run. */
export type ReadResult = { record: RawRecord; diagnostic?: undefined } | { record?: undefined; diagnostic: Diagnostic };

export interface Source {
  /** stable id, also used as RawRecord.format */
  id: string;
  /**
   * How sure this reader is that it can read the input, from 0 (no) to 1 (certain), judged from the
   * first bytes (at most 64 KiB, already decompressed) and the name. The highest score wins.
   */
  sniff(head: Buffer, name: string): number;
  /** Streams the input as batches of results. */
  read(input: Input): AsyncIterable<ReadResult[]>;
}
