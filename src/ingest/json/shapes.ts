/**
 * Recognises the JSON shapes Windows and endpoint telemetry is exported in, per record, and turns each
 * into a RawRecord (system header + the record's own fields). Shapes:
 *  - `json-evtx`: nested `Event.System` / `Event.EventData|UserData` (evtx_dump, python-evtx, SigmaHQ tests);
 *  - `json-ecs`: Winlogbeat / Elastic Common Schema documents (`winlog.*`, `process.*`, `@timestamp`);
 *  - `json-flat`: flat exports (OTRF/NXLog, Azure Sentinel SecurityEvent/WindowsEvent);
 *  - `json-osquery`, `json-zeek`, `json-netflow`: osquery result logs, Zeek JSON logs, flow records
 *    (tried only for objects none of the shapes above claims, so those behave as before);
 *  - `json-xml`: an `<Event>` XML text wrapped in a JSON field (`message`, `SyslogMessage`, …), as
 *    Sysmon for Linux arrives through Filebeat or Sentinel's Syslog table;
 *  - a record as shellwatch itself read it (`{"@shellwatch": "record/1", format, system, data, ref}`, what
 *    `shellwatch replay` sends): taken as it is, so the server keys and detects it as the file would be;
 *  - `json`: anything else, kept raw so `events` can show it.
 */
import type { RawRecord, RawSystem } from '../../core/index.js';
import { flowShape } from '../netflow/json.js';
import { isOsquery, osqueryShape } from '../osquery/shape.js';
import { xmlEventRecord, wrappedXml } from '../xml/wrapped.js';
import { isZeekJson, zeekShape } from '../zeek/json.js';
import { flattenInto, parseEventDataXml, parseTime, toInt } from './values.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Classifies one parsed JSON object. `ref` fields file/line/offset are filled by the caller. */
export function toRawRecord(o: Obj, file: string, line: number, offset: number): RawRecord {
  if (o['@shellwatch'] === 'record/1') {
    const own = ownRecord(o, file, line, offset);
    if (own) return own;
  }
  let rec: { format: string; system: RawSystem; data: Obj };
  // XML wrapped in a text field: only for objects that are not a Windows record shape of their own
  // (NXLog/OTRF records carry a long rendered Message that need not be searched)
  const xml = o.EventID === undefined && o.Event === undefined && o.winlog === undefined ? wrappedXml(o) : undefined;
  if (xml !== undefined) return xmlEventRecord(xml, o, file, line, offset);
  if (isObj(o.Event) && isObj((o.Event as Obj).System)) rec = nested(o.Event as Obj);
  else if (isObj(o.System) && (isObj(o.EventData) || isObj(o.UserData))) rec = nested(o);
  else if (isObj(o.winlog) || (typeof o['@timestamp'] === 'string' && (isObj(o.process) || isObj(o.event) || isObj(o.host))))
    rec = ecs(o);
  else if (o.EventID !== undefined || o.EventId !== undefined || o.event_id !== undefined) rec = flat(o);
  else if (isOsquery(o)) rec = osqueryShape(o);
  else if (isZeekJson(o)) rec = zeekShape(o, file);
  else rec = flowShape(o) ?? { format: 'json', system: { timeMs: parseTime(o['@timestamp'] ?? o.timestamp ?? o.time) }, data: o };
  const s = rec.system;
  return {
    format: rec.format,
    ref: { file, record: s.recordId ?? line, channel: s.channel ?? null, eventId: s.eventId ?? null, line, offset },
    system: s,
    data: rec.data,
  };
}

const SYSTEM_NUMBERS = ['eventId', 'timeMs', 'recordId', 'processId', 'threadId', 'level', 'task', 'opcode', 'version'] as const;
const SYSTEM_STRINGS = ['provider', 'channel', 'computer', 'userId', 'keywords'] as const;

/** A record as shellwatch read it elsewhere: only well-typed system fields are kept (every field is the sender's to forge). */
function ownRecord(o: Obj, file: string, line: number, offset: number): RawRecord | undefined {
  if (typeof o.format !== 'string' || o.format.length > 64 || !isObj(o.system) || !isObj(o.data)) return undefined;
  const sys = o.system, system: RawSystem = {};
  for (const k of SYSTEM_NUMBERS) if (typeof sys[k] === 'number' && Number.isFinite(sys[k]) && Math.abs(sys[k] as number) <= 8.64e15) system[k] = sys[k] as number;
  for (const k of SYSTEM_STRINGS) if (typeof sys[k] === 'string') system[k] = sys[k] as string;
  const ref = isObj(o.ref) ? o.ref : {};
  const origin = typeof ref.file === 'string' ? ref.file.slice(0, 4096) : undefined;
  const record = typeof ref.record === 'number' || typeof ref.record === 'string' ? ref.record : line;
  return {
    format: o.format, system, data: o.data,
    ref: { file: origin ? `${file}:${origin}` : file, record, channel: system.channel ?? null, eventId: system.eventId ?? null, line, offset },
  };
}

function attr(v: unknown, name: string): unknown {
  if (!isObj(v)) return undefined;
  const a = v['#attributes'] ?? v['@attributes'] ?? v;
  return isObj(a) ? (a[name] ?? a[`@${name}`]) : undefined;
}
const text = (v: unknown): unknown => (isObj(v) ? (v['#text'] ?? v['$'] ?? v.value) : v);

function nested(ev: Obj): { format: string; system: RawSystem; data: Obj } {
  const sys = ev.System as Obj;
  const system: RawSystem = {
    provider: str(attr(sys.Provider, 'Name') ?? sys.Provider),
    channel: str(text(sys.Channel)),
    eventId: toInt(text(sys.EventID)),
    computer: str(text(sys.Computer)),
    timeMs: parseTime(attr(sys.TimeCreated, 'SystemTime') ?? text(sys.TimeCreated)),
    recordId: toInt(text(sys.EventRecordID)),
    userId: str(attr(sys.Security, 'UserID')),
    processId: toInt(attr(sys.Execution, 'ProcessID')),
    threadId: toInt(attr(sys.Execution, 'ThreadID')),
    level: toInt(text(sys.Level)),
    task: toInt(text(sys.Task)),
    opcode: toInt(text(sys.Opcode)),
    keywords: str(text(sys.Keywords)),
    version: toInt(text(sys.Version)),
  };
  const data: Obj = {};
  if (isObj(ev.EventData)) eventData(ev.EventData, data);
  else if (ev.EventData != null && typeof ev.EventData !== 'object') data.Data = String(ev.EventData);
  if (isObj(ev.UserData)) {
    const top = Object.values(ev.UserData).find(isObj);
    if (top) flattenInto(top, '', data);
  }
  return { format: 'json-evtx', system: compact(system), data };
}

/** EventData as `{Name: value}`, or as `Data: [{"@Name"|"#attributes": …, "#text": …}]` lists. */
function eventData(ed: Obj, out: Obj): void {
  for (const [k, v] of Object.entries(ed)) {
    if (k === '#attributes' || k === '@xmlns' || k === 'xmlns') continue;
    if (k === 'Data' && (Array.isArray(v) || isObj(v))) {
      const items = Array.isArray(v) ? v : [v];
      const unnamed: string[] = [];
      for (const it of items) {
        const name = attr(it, 'Name');
        const val = text(it);
        if (typeof name === 'string') out[name] = val == null ? '' : scalar(val);
        else if (val != null) unnamed.push(String(scalar(val)));
      }
      if (unnamed.length) out.Data = unnamed.length === 1 ? unnamed[0] : unnamed;
    } else out[k] = scalar(v);
  }
}

function flat(o: Obj): { format: string; system: RawSystem; data: Obj } {
  // the parsed object is ours: used as the data itself (no copy; EventID stays, Sigma rules use it)
  const data: Obj = o;
  // Azure Sentinel WindowsEvent keeps EventData as a JSON string; SecurityEvent as an XML string.
  if (typeof o.EventData === 'string') {
    const s = o.EventData.trim();
    if (s.startsWith('{')) {
      try {
        const inner = JSON.parse(s) as unknown;
        if (isObj(inner)) Object.assign(data, inner);
      } catch { /* left as a string */ }
    } else if (s.startsWith('<') && s.length <= 1 << 20) parseEventDataXml(s, data);
  }
  const system: RawSystem = {
    provider: str(o.SourceName ?? o.ProviderName ?? o.Provider ?? o.EventSourceName),
    channel: str(o.Channel),
    eventId: toInt(o.EventID ?? o.EventId ?? o.event_id),
    computer: str(o.Hostname ?? o.Computer ?? o.ComputerName ?? o.host_name),
    timeMs: parseTime(o.TimeCreated ?? o.TimeGenerated ?? o['@timestamp'] ?? o.EventTime ?? o.UtcTime),
    recordId: toInt(o.RecordNumber ?? o.EventRecordID ?? o.EventRecordId),
    processId: toInt(o.ExecutionProcessID),
    threadId: toInt(o.ThreadID),
    userId: str(o.UserID ?? o.UserSid),
  };
  return { format: 'json-flat', system: compact(system), data };
}

function ecs(o: Obj): { format: string; system: RawSystem; data: Obj } {
  const data: Obj = {};
  flattenInto(o, '', data);
  const w = isObj(o.winlog) ? o.winlog : {};
  const ed = isObj(w.event_data) ? w.event_data : isObj(w.user_data) ? w.user_data : undefined;
  if (ed) for (const [k, v] of Object.entries(ed)) data[k] = scalar(v);
  const host = isObj(o.host) ? o.host : {};
  const event = isObj(o.event) ? o.event : {};
  const system: RawSystem = {
    provider: str(w.provider_name ?? event.provider),
    channel: str(w.channel),
    eventId: toInt(w.event_id ?? event.code),
    computer: str(w.computer_name ?? host.hostname ?? host.name),
    timeMs: parseTime(o['@timestamp']),
    recordId: toInt(w.record_id),
    processId: toInt(isObj(w.process) ? w.process.pid : undefined),
    userId: str(isObj(w.user) ? w.user.identifier : undefined),
  };
  return { format: 'json-ecs', system: compact(system), data };
}

function str(v: unknown): string | undefined {
  if (v == null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}
/** Values stay what the exporter wrote for scalars; objects (rare in EventData) become JSON text. */
function scalar(v: unknown): unknown {
  return isObj(v) ? (text(v) !== undefined ? text(v) : JSON.stringify(v)) : v;
}
function compact(s: RawSystem): RawSystem {
  for (const k of Object.keys(s) as (keyof RawSystem)[]) if (s[k] === undefined) delete s[k];
  return s;
}
