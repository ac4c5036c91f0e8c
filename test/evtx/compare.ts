// Compares a shellwatch RawRecord with evtxexport's rendering of the same record, after normalizing
// the formatting differences documented in docs/evtx.md (hex width, fraction digits of times).
import type { RawRecord } from '../../src/core/index.js';
import type { RefRecord } from './reference.js';

const HEX = /^0x[0-9a-fA-F]+$/;
const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/;

function normTime(s: string): string {
  const m = TIME.exec(s);
  if (!m) return s;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return frac ? `${m[1]}.${frac}Z` : `${m[1]}Z`;
}

/** Normalizes a scalar for comparison: hex by value, times without trailing zero digits. */
export function normValue(s: string): string {
  if (HEX.test(s)) return '0x' + BigInt(s).toString(16);
  if (TIME.test(s)) return normTime(s);
  return s;
}

function sameValue(mine: unknown, ref: string | string[]): boolean {
  if (Array.isArray(ref)) {
    if (!Array.isArray(mine) || mine.length !== ref.length) return false;
    return ref.every((r, i) => normValue(String(mine[i])) === normValue(r));
  }
  if (Array.isArray(mine)) return false;
  return normValue(String(mine)) === normValue(ref);
}

/** The differences between our record and the reference, one line each (empty when they agree). */
export function diffRecord(mine: RawRecord, ref: RefRecord): string[] {
  const out: string[] = [];
  const s = mine.system;
  const eq = (what: string, a: unknown, b: string): void => {
    if (String(a ?? '') !== b) out.push(`${what}: ours ${JSON.stringify(a)} ref ${JSON.stringify(b)}`);
  };
  eq('EventRecordID', s.recordId, ref.recordId);
  eq('EventID', s.eventId, ref.eventId);
  eq('Computer', s.computer, ref.computer);
  eq('Channel', s.channel, ref.channel);
  eq('Provider', s.provider, ref.provider);
  const refMs = Date.parse(ref.time);
  if (ref.time && s.timeMs !== refMs) out.push(`TimeCreated: ours ${s.timeMs} ref ${ref.time}`);
  for (const [k, v] of Object.entries(ref.data)) {
    if (!(k in mine.data)) out.push(`data.${k}: missing (ref ${JSON.stringify(v).slice(0, 80)})`);
    else if (!sameValue(mine.data[k], v)) {
      out.push(`data.${k}: ours ${JSON.stringify(mine.data[k]).slice(0, 120)} ref ${JSON.stringify(v).slice(0, 120)}`);
    }
  }
  for (const k of Object.keys(mine.data)) if (!(k in ref.data)) out.push(`data.${k}: extra (ours ${JSON.stringify(mine.data[k]).slice(0, 80)})`);
  return out;
}
