/**
 * `<Event>` XML carried inside a JSON object (Filebeat `message`, Sentinel Syslog `SyslogMessage`, …):
 * found here for the JSON reader and parsed with the XML reader's parser, format `json-xml`.
 */
import { diag, type RawRecord } from '../../core/index.js';
import { toResult } from './index.js';

type Obj = Record<string, unknown>;
const FIELDS = ['message', 'Message', 'SyslogMessage', 'msg', 'log', 'event.original', 'xml', 'EventXml'];
const MAX_XML = 1 << 20;

/** The XML text of a wrapped event, or undefined when `o` wraps none. */
export function wrappedXml(o: Obj): string | undefined {
  for (const f of FIELDS) {
    const v = o[f];
    if (typeof v !== 'string' || v.length > MAX_XML) continue;
    const s = v.indexOf('<Event');
    if (s >= 0 && v.includes('<System>', s) && v.includes('</Event>', s)) return v.slice(s, v.lastIndexOf('</Event>') + 8);
  }
  return undefined;
}

/** The RawRecord of a wrapped event; host and time fall back to the wrapper's own fields. */
export function xmlEventRecord(xml: string, o: Obj, file: string, line: number, offset: number): RawRecord {
  const r = toResult(xml, '', file, line, offset, 'json-xml');
  if (r.record) {
    const host = o.host && typeof o.host === 'object' ? (o.host as Obj).name ?? (o.host as Obj).hostname : o.Computer ?? o.HostName ?? o.hostname;
    if (r.record.system.computer === undefined && typeof host === 'string') r.record.system.computer = host;
    return r.record;
  }
  // a broken wrapped event is still a record (kept raw) so the JSON reader's one-record-per-object holds
  const d = r.diagnostic ?? diag('SW1012', 'malformed XML event');
  return { format: 'json', ref: { file, record: line, channel: null, eventId: null, line, offset }, system: {}, data: { ...o, 'shellwatch.error': `${d.code}: ${d.message}` } };
}
