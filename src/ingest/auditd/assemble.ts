/**
 * Groups audit records into events by `(node, SEC.MS:SERIAL)`. Records of different events interleave,
 * so an event is finished by its EOE record where the kernel writes one, and otherwise once it is older
 * than `windowMs` (audit time) than the newest record seen, or when more than `maxOpen` events are open
 * (oldest first) — go-libaudit's reassembler uses the same two bounds (50 events, 2 s). Records past
 * `maxRecords` or `maxBytes` for one event are dropped and the event is marked truncated (SW1013).
 */
import { diag } from '../../core/index.js';
import type { ReadResult } from '../source.js';
import { buildEvent } from './event.js';
import type { AuditRecord } from './line.js';

export interface AssembleLimits { maxOpen: number; windowMs: number; maxRecords: number; maxBytes: number }
export const DEFAULT_LIMITS: AssembleLimits = { maxOpen: 64, windowMs: 2000, maxRecords: 512, maxBytes: 1 << 20 };

interface Pending { recs: AuditRecord[]; timeMs: number; bytes: number; dropped: number }

/** Incremental assembler: push records, collect finished events; call flush() at end of input. */
export class Assembler {
  private readonly open = new Map<string, Pending>();
  private newest = -Infinity;

  constructor(private readonly file: string, private readonly limits: AssembleLimits = DEFAULT_LIMITS) {}

  /** Adds one record (`size` = its line length); finished events are appended to `out`. */
  push(rec: AuditRecord, size: number, out: ReadResult[]): void {
    const key = `${rec.node ?? ''}|${rec.id}`;
    let p = this.open.get(key);
    if (rec.type === 'EOE') {
      if (p) this.finish(key, p, out);
      return;
    }
    if (!p) {
      p = { recs: [], timeMs: rec.timeMs, bytes: 0, dropped: 0 };
      this.open.set(key, p);
    }
    if (p.recs.length >= this.limits.maxRecords || p.bytes + size > this.limits.maxBytes) p.dropped++;
    else { p.recs.push(rec); p.bytes += size; }
    if (rec.timeMs > this.newest) this.newest = rec.timeMs;
    this.expire(key, out);
  }

  /** Finishes every open event, oldest first. */
  flush(out: ReadResult[]): void {
    for (const [k, p] of this.open) this.finish(k, p, out);
  }

  private expire(current: string, out: ReadResult[]): void {
    const horizon = this.newest - this.limits.windowMs;
    for (const [k, p] of this.open) {
      if (k === current) continue;
      if (this.open.size <= this.limits.maxOpen && p.timeMs >= horizon) break;
      this.finish(k, p, out);
    }
  }

  private finish(key: string, p: Pending, out: ReadResult[]): void {
    this.open.delete(key);
    if (!p.recs.length) return;
    const first = p.recs[0];
    if (p.dropped) {
      const msg = `audit event ${first.id} has more than ${this.limits.maxRecords} records or ${this.limits.maxBytes} bytes; ${p.dropped} records dropped`;
      out.push({ diagnostic: diag('SW1013', msg, { file: this.file, line: first.line, offset: first.offset, record: first.id }) });
    }
    const record = buildEvent(p.recs, this.file);
    if (p.dropped) record.data.records_dropped = p.dropped;
    out.push({ record });
  }
}
