/**
 * The XML event reader: Windows-style `<Event>` records (Sysmon for Linux, wevtutil/Get-WinEvent XML
 * exports), one per syslog line or pretty-printed, optionally inside `<Events>`. Events are found in the
 * byte stream by their `<Event …>`…`</Event>` bounds (at most MAX_EVENT bytes each), parsed by parse.ts
 * and emitted with the same system header and EventData fields as the other Windows-style readers, so
 * the sysmon/security mappings apply. Format `xml`.
 */
import { diag, type RawRecord } from '../../core/index.js';
import type { Input, ReadResult, Source } from '../source.js';
import { looksText } from '../text/lines.js';
import { syslogHost } from '../text/syslog.js';
import { eventFields, parseXml } from './parse.js';

const MAX_EVENT = 1 << 20;
const OPEN = Buffer.from('<Event');
const CLOSE = Buffer.from('</Event>');

/** Index of the next `<Event` start tag (not `<EventData`, `<EventID`, `<Events`) at or after `from`. */
function findOpen(b: Buffer, from: number): number {
  for (let i = b.indexOf(OPEN, from); i >= 0; i = b.indexOf(OPEN, i + 1)) {
    const c = b[i + OPEN.length];
    if (c === undefined || c === 0x3e || c === 0x20 || c === 0x2f || c === 0x09 || c === 0x0a || c === 0x0d) return i;
  }
  return -1;
}

export const xmlSource: Source = {
  id: 'xml',
  sniff(head) {
    if (!looksText(head)) return 0;
    const s = head.toString('utf8', 0, Math.min(head.length, 65536));
    if (findOpen(head, 0) < 0 || !/<System>/.test(s) || !/<Provider\s/.test(s)) return 0;
    return /^\s*[[{]/.test(s) ? 0.3 : 0.92;
  },
  read: (input: Input) => readXmlEvents(input),
};

/** Streams the `<Event>` records of an input. */
export async function* readXmlEvents(input: Input): AsyncGenerator<ReadResult[]> {
  let buf: Buffer = Buffer.alloc(0);
  let base = 0, line = 1; // offset and line of buf[0]
  const out: ReadResult[] = [];
  const advance = (to: number) => {
    for (let k = buf.indexOf(0x0a); k >= 0 && k < to; k = buf.indexOf(0x0a, k + 1)) line++;
    base += to;
    buf = buf.subarray(to);
  };
  const scan = (final: boolean) => {
    for (;;) {
      const s = findOpen(buf, 0);
      if (s < 0) {
        // keep the current line (its syslog prefix) unless it is already too long to matter
        const keep = buf.lastIndexOf(0x0a) + 1;
        advance(buf.length - keep > MAX_EVENT ? Math.max(0, buf.length - OPEN.length) : keep);
        return;
      }
      const lineStart = buf.lastIndexOf(0x0a, s) + 1;
      const prefix = buf.toString('utf8', lineStart, s);
      advance(lineStart);
      const start = s - lineStart;
      const e = buf.indexOf(CLOSE, start);
      if (e < 0) {
        if (buf.length - start > MAX_EVENT) {
          out.push({ diagnostic: diag('SW1006', `<Event> longer than ${MAX_EVENT} bytes (skipped)`, { file: input.name, line, offset: base + start }) });
          advance(start + OPEN.length);
          continue;
        }
        if (final) out.push({ diagnostic: diag('SW1008', 'input ends inside an <Event>', { file: input.name, line, offset: base + start }) });
        return;
      }
      const inner = findOpen(buf, start + OPEN.length);
      if (e - start > MAX_EVENT || (inner >= 0 && inner < e)) {
        const why = e - start > MAX_EVENT ? ['SW1006', `<Event> longer than ${MAX_EVENT} bytes (skipped)`] as const : ['SW1012', 'unterminated <Event> (skipped)'] as const;
        out.push({ diagnostic: diag(why[0], why[1], { file: input.name, line, offset: base + start }) });
        advance(inner >= 0 && inner < e ? inner : start + OPEN.length);
        continue;
      }
      const end = e + CLOSE.length;
      out.push(toResult(buf.toString('utf8', start, end), prefix, input.name, line, base + start));
      advance(end);
    }
  };
  try {
    for await (const chunk of input.open()) {
      buf = buf.length ? Buffer.concat([buf, chunk as Buffer]) : (chunk as Buffer);
      scan(false);
      if (out.length) yield out.splice(0);
    }
  } catch (e) {
    out.push({ diagnostic: diag('SW1001', `read failed: ${(e as Error).message}`, { file: input.name, offset: base }) });
  }
  scan(true);
  if (out.length) yield out;
}

/** One `<Event>` text (and the syslog prefix before it on its line) → a record or a located diagnostic. */
export function toResult(xml: string, prefix: string, file: string, line: number, offset: number, format = 'xml'): ReadResult {
  try {
    const { system, data } = eventFields(parseXml(xml));
    if (system.computer === undefined) {
      const host = prefix.trim() ? syslogHost(prefix) : undefined;
      if (host) system.computer = host;
    }
    if (system.eventId === undefined && system.provider === undefined)
      return { diagnostic: diag('SW1009', '<Event> has no System provider or EventID', { file, line, offset }) };
    const record: RawRecord = { format, ref: { file, record: system.recordId ?? line, channel: system.channel ?? null, eventId: system.eventId ?? null, line, offset }, system, data };
    return { record };
  } catch (e) {
    return { diagnostic: diag('SW1012', `malformed XML event: ${(e as Error).message}`, { file, line, offset }) };
  }
}
