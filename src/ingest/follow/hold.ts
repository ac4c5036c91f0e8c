/**
 * auditd writes one event as several lines sharing `msg=audit(TS:SERIAL)`, and a writer's appends may
 * end inside one. A batch must not split an event (its halves would become two records), so the lines
 * of the newest event at the end of a batch are held back until a line of another event or its EOE
 * follows, or the file goes quiet.
 */
import { parseAuditLine } from '../auditd/line.js';

/** How far back (lines) the newest event's earlier records are looked for: the kernel writes an event's records together. */
const LOOK_BACK = 64;
const NL = 0x0a;

function eventKey(text: string): { key: string; eoe: boolean } | null {
  const r = parseAuditLine(text, 0, 0);
  return r ? { key: `${r.node ?? ''}|${r.id}`, eoe: r.type === 'EOE' } : null;
}

/** Start offsets of the last `n` lines of `buf` (whole lines, ending with a newline), last first. */
function lastLineStarts(buf: Buffer, n: number): number[] {
  const starts: number[] = [];
  let end = buf.length - 1; // the newline ending the last line
  while (end >= 0 && starts.length < n) {
    const prev = end > 0 ? buf.lastIndexOf(NL, end - 1) : -1;
    starts.push(prev + 1);
    end = prev;
  }
  return starts;
}

/**
 * How many bytes of `buf` (complete audit log lines) may be handed over now: all of them, unless the
 * last line belongs to an event without its EOE yet, whose lines (from the first within LOOK_BACK) are held.
 */
export function auditCut(buf: Buffer): number {
  if (!buf.length) return 0;
  const starts = lastLineStarts(buf, LOOK_BACK);
  const lineAt = (i: number) => buf.toString('utf8', starts[i], i === 0 ? buf.length : starts[i - 1]).replace(/\r?\n$/, '');
  const last = eventKey(lineAt(0));
  if (!last || last.eoe) return buf.length;
  let cut = starts[0];
  for (let i = 1; i < starts.length; i++) {
    const k = eventKey(lineAt(i));
    if (k?.key === last.key) cut = starts[i];
  }
  return cut;
}
