/** Raw record → typed event, driven entirely by the mapping files. */
import type { Diagnostic, RawRecord, ShellEvent } from '../core/index.js';
import { loadMappings, type FieldSpec, type Mapping } from './loader.js';

const absent = (v: unknown): boolean => v == null || v === '' || v === '-';

/** Compiled normalizer: mappings indexed by event id, matched by source, format and `where`. */
export class Normalizer {
  private readonly byId = new Map<number, Mapping[]>();
  private readonly anyId: Mapping[] = [];
  readonly diagnostics: Diagnostic[];

  constructor(loaded = loadMappings()) {
    this.diagnostics = loaded.diagnostics;
    for (const m of loaded.mappings) {
      if (!m.eventIds) { this.anyId.push(m); continue; }
      for (const id of m.eventIds) {
        const list = this.byId.get(id) ?? [];
        list.push(m);
        this.byId.set(id, list);
      }
    }
  }

  /** The mapping that applies to `rec`, if any. */
  find(rec: RawRecord): Mapping | undefined {
    const eid = rec.system.eventId;
    const cands = eid === undefined ? undefined : this.byId.get(eid);
    // provider and channel lower-cased once per record, not once per candidate mapping
    const p = rec.system.provider?.toLowerCase();
    const c = rec.system.channel?.toLowerCase();
    if (cands) for (const m of cands) if (matches(m, rec, p, c)) return m;
    for (const m of this.anyId) if (matches(m, rec, p, c)) return m;
    return undefined;
  }

  /** Normalizes one record; records no mapping covers become `other` events with their raw fields. */
  normalize(rec: RawRecord): ShellEvent {
    const m = this.find(rec);
    const d = rec.data;
    const ev: Record<string, unknown> = {
      kind: m?.kind ?? 'other',
      time: rec.system.timeMs ?? NaN,
      host: rec.system.computer ?? str(d['host.name']) ?? str(d['host.hostname']) ?? '',
      event: rec.ref,
      raw: d,
      system: rec.system,
      format: rec.format,
    };
    if (m) {
      ev.mapping = m.id;
      if (m.kind === 'process_start') { ev.process = {}; ev.parent = {}; }
      else if (m.kind !== 'logon' && m.kind !== 'logoff') ev.process = {};
      for (const [path, spec] of m.fields) {
        const v = value(spec, d);
        if (v !== undefined) assign(ev, path, v);
      }
      if (ev.kind === 'script_block' && typeof ev.text !== 'string') ev.text = '';
    }
    return ev as unknown as ShellEvent;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** `p` and `c`: the record's provider and channel, lower-cased. */
function matches(m: Mapping, rec: RawRecord, p: string | undefined, c: string | undefined): boolean {
  if (m.format && m.format !== rec.format) return false;
  if (m.source) {
    if (!((p && m.source.providers.has(p)) || (c && m.source.channels.has(c)))) return false;
  }
  if (m.where) {
    for (let i = 0; i < m.where.length; i++) {
      const k = m.where[i][0];
      const want = m.where[i][1];
      const v = rec.data[k];
      if (Array.isArray(v) ? !v.some((x) => oneOf(String(x).toLowerCase(), want)) : !oneOf(String(v).toLowerCase(), want)) return false;
    }
  }
  return true;
}

/** True when `have` (lower-case) equals one of `want`, compared case-insensitively. */
function oneOf(have: string, want: string[]): boolean {
  for (let i = 0; i < want.length; i++) if (want[i].toLowerCase() === have) return true;
  return false;
}

/** First alternative whose (transformed) value is present wins. */
function value(spec: FieldSpec, d: Record<string, unknown>): unknown {
  for (let i = 0; i < spec.from.length; i++) {
    const f = spec.from[i];
    let raw = d[f.key];
    if (f.index !== undefined) raw = Array.isArray(raw) ? raw[f.index] : f.index === 0 ? raw : undefined;
    if (absent(raw)) continue;
    const v = spec.transform ? spec.transform(raw, { domain: spec.domain ? d[spec.domain[i]] : undefined }) : raw;
    if (!absent(v)) return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : String(v);
  }
  return undefined;
}

function assign(o: Record<string, unknown>, path: string[], v: unknown): void {
  let cur = o;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = v;
}
