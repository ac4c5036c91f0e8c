/**
 * The `json-osquery` shape: osquery result-log lines (`name`, `hostIdentifier`, `unixTime`/`calendarTime`,
 * `action`, and `columns` for event/differential results or `snapshot` for snapshot results). Data holds
 * the columns as written (a single-row snapshot's row; a larger snapshot stays under `snapshot`), plus
 * `osquery.name`, `osquery.action`, `osquery.hostIdentifier`, `decorations.*` and `osquery.table`: the
 * table a query reads, from its name (`pack_<pack>_process_events`, `pack/<pack>/socket_events`) or,
 * failing that, from the columns. Mappings: normalize/mappings/osquery.yaml.
 */
import type { RawSystem } from '../../core/index.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TABLES = ['bpf_process_events', 'bpf_socket_events', 'es_process_events', 'process_events', 'socket_events', 'process_open_sockets', 'processes', 'listening_ports', 'user_events', 'file_events'];

export function isOsquery(o: Obj): boolean {
  return typeof o.name === 'string' && o.hostIdentifier !== undefined && (isObj(o.columns) || Array.isArray(o.snapshot)) && (o.unixTime !== undefined || o.calendarTime !== undefined);
}

/** The table a result reads: from the query name's tail, else from its columns. */
export function osqueryTable(name: string, cols: Obj): string | undefined {
  const n = name.toLowerCase();
  for (const t of TABLES) if (n === t || n.endsWith(`_${t}`) || n.endsWith(`/${t}`) || n.endsWith(`:${t}`)) return t;
  if (cols.cmdline !== undefined && cols.path !== undefined && (cols.parent !== undefined || cols.syscall !== undefined)) return 'process_events';
  if (cols.remote_address !== undefined && cols.remote_port !== undefined && cols.action !== undefined) return 'socket_events';
  return undefined;
}

export function osqueryShape(o: Obj): { format: string; system: RawSystem; data: Obj } {
  const rows = Array.isArray(o.snapshot) ? o.snapshot : undefined;
  const cols: Obj = isObj(o.columns) ? o.columns : rows?.length === 1 && isObj(rows[0]) ? (rows[0] as Obj) : {};
  const data: Obj = { ...cols };
  if (rows && rows.length !== 1) data.snapshot = rows;
  data['osquery.name'] = o.name;
  if (o.action !== undefined) data['osquery.action'] = o.action;
  data['osquery.hostIdentifier'] = o.hostIdentifier;
  if (o.unixTime !== undefined) data['osquery.unixTime'] = o.unixTime;
  const table = osqueryTable(o.name as string, cols);
  if (table) data['osquery.table'] = table;
  const dec = isObj(o.decorations) ? o.decorations : {};
  for (const [k, v] of Object.entries(dec)) data[`decorations.${k}`] = v;
  const system: RawSystem = { provider: 'osquery' };
  if (table) system.channel = table;
  const host = dec.hostname ?? dec.host_uuid ?? o.hostIdentifier;
  if (typeof host === 'string' && host) system.computer = host;
  const t = Number(cols.time ?? o.unixTime);
  if (Number.isFinite(t) && t > 0) system.timeMs = Math.round(t * 1000);
  else if (typeof o.calendarTime === 'string' && Number.isFinite(Date.parse(o.calendarTime))) system.timeMs = Date.parse(o.calendarTime);
  return { format: 'json-osquery', system, data };
}
