// A worker-side reducer for the thread-scaling bench: counts records per EventID, so only a small
// object per batch crosses threads (as a real consumer such as normalize + detect would).
import type { ReadResult } from '../src/ingest/source.js';

/** Records per EventID in one batch. */
export function reduce(batch: ReadResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of batch) if (r.record) out[String(r.record.system.eventId)] = (out[String(r.record.system.eventId)] ?? 0) + 1;
  return out;
}
