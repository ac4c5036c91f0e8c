/**
 * The `json-zeek` shape: one Zeek log entry as JSON (`LogAscii::use_json`, or shipped with `@stream`/
 * `@system` as in the OTRF apt29 data). Keys stay as written (`id.orig_h` or `id_orig_h`; a nested `id`
 * object is flattened to `id.orig_h`). The log path (`conn`, `dns`, …) is `_path`, from `_path`, `@stream`,
 * the file name, or conn.log's own fields.
 */
import type { RawSystem } from '../../core/index.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for a Zeek log entry. */
export function isZeekJson(o: Obj): boolean {
  if (o['@proc'] === 'zeek' || (typeof o._path === 'string' && o._write_ts !== undefined)) return true;
  return o.uid !== undefined && o.ts !== undefined && (o['id.orig_h'] !== undefined || o.id_orig_h !== undefined || isObj(o.id));
}

/** The Zeek log name for an entry of `file`. */
export function zeekPath(o: Obj, file: string): string | undefined {
  const p = o._path ?? o['@stream'];
  if (typeof p === 'string' && p) return p;
  const m = /(?:^|[/\\!])([a-z_]+)(?:\.\d\d[:-]\d\d[:-]\d\d-\d\d[:-]\d\d[:-]\d\d)?\.log(?:\.gz)?$/i.exec(file);
  if (m) return m[1].toLowerCase();
  if (o.conn_state !== undefined || (o.duration !== undefined && o.orig_bytes !== undefined)) return 'conn';
  return undefined;
}

/** Zeek time: epoch seconds (number or text) or ISO 8601 (`LogAscii::json_timestamps`). */
export function zeekTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * 1000) : undefined;
  if (typeof v !== 'string') return undefined;
  if (/^\d{1,12}(\.\d{1,9})?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

export function zeekShape(o: Obj, file: string): { format: string; system: RawSystem; data: Obj } {
  const data: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'id' && isObj(v)) for (const [ik, iv] of Object.entries(v)) data[`id.${ik}`] = iv;
    else data[k] = v;
  }
  const path = zeekPath(o, file);
  if (path && data._path === undefined) data._path = path;
  const system: RawSystem = { provider: 'Zeek' };
  if (path) system.channel = path;
  const t = zeekTime(o.ts);
  if (t !== undefined) system.timeMs = t;
  const sensor = o['@system'] ?? o._system_name ?? o.peer_descr;
  if (typeof sensor === 'string' && sensor) system.computer = sensor;
  return { format: 'json-zeek', system, data };
}
