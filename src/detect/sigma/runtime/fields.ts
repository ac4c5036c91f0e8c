/** Field access through a view and a record format: Sigma name → native name → value in the record. */
import type { RawRecord } from '../../../core/index.js';
import type { FormatDef, Pipelines, View } from './pipeline.js';

export type Getter = (rec: RawRecord) => unknown;

const DEFAULT_FORMAT: FormatDef = { system: {}, prefixes: [], fields: {} };

/** The format definition for a record format id (unknown formats: identity). */
export function formatOf(p: Pipelines, format: string): FormatDef {
  return p.formats[p.formatAliases[format] ?? format] ?? DEFAULT_FORMAT;
}

/**
 * The value at a dotted path from `parts[i]` on. A list of objects on the way yields the list of what
 * each element holds there (ECS `dns.answers.data` → every answer's data): a field test holds when one
 * of them matches.
 */
function walk(cur: unknown, parts: string[], i: number): unknown {
  for (; i < parts.length; i++) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    if (Array.isArray(cur)) {
      const out: unknown[] = [];
      for (const el of cur) {
        // objects only: a list nested in the list is not entered (recursion stays bounded by the path)
        if (typeof el !== 'object' || el === null || Array.isArray(el)) continue;
        const v = walk(el, parts, i);
        if (Array.isArray(v)) { for (const x of v) out.push(x); } else if (v !== undefined) out.push(v);
      }
      return out.length ? out : undefined;
    }
    cur = (cur as Record<string, unknown>)[parts[i]];
  }
  return cur;
}

const NO_SPACES: Record<string, string> = {};
/** The last record data seen and its space-less names (records are read one at a time; a WeakMap per record costs more). */
let lastData: object | null = null;
let lastSpaceless: Record<string, string> = NO_SPACES;
/** the keys, in order, of the record the names were computed for */
let lastKeys: string[] = [];

/** Field names with spaces (`Threat Name`) are written without them in rules (`ThreatName`). */
function despaced(data: Record<string, unknown>): Record<string, string> {
  if (data === lastData) return lastSpaceless;
  lastData = data;
  // records of one kind have the same keys in the same order: comparing them (interned names, so
  // identity) costs less than searching each for a space
  let i = 0;
  for (const k in data) { if (lastKeys[i] !== k) { i = -1; break; } i++; }
  if (i === lastKeys.length) return lastSpaceless;
  let m = NO_SPACES;
  const keys: string[] = [];
  for (const k in data) { keys.push(k); if (k.includes(' ')) { if (m === NO_SPACES) m = {}; m[k.replace(/ /g, '')] = k; } }
  lastKeys = keys;
  lastSpaceless = m;
  return m;
}

/** A getter for `field` as seen through `view` on records of `fmt`. */
export function makeGetter(p: Pipelines, view: View | null, fmt: FormatDef, field: string): Getter {
  const native = view?.fields[field] ?? field;
  const sysKey = p.systemFields[native] as keyof RawRecord['system'] | undefined;
  const keys = [native, ...fmt.prefixes.map((x) => x + native), ...(fmt.fields[native] ?? []), ...(sysKey ? fmt.system[sysKey] ?? [] : [])];
  const parts = native.split('.');
  // flattened records (ECS readers write `dns.answers` as one key) hold a prefix of the path as a key:
  // the longest first, then the rest is walked inside it; nested records are walked from the top
  const prefixes = parts.slice(1).map((_, j) => ({ key: parts.slice(0, parts.length - 1 - j).join('.'), at: parts.length - 1 - j }));
  const dotted = parts.length > 1;
  return (rec) => {
    if (sysKey) { const v = rec.system[sysKey]; if (v !== undefined) return v; }
    const d = rec.data;
    for (const k of keys) { const v = d[k]; if (v !== undefined) return v; }
    const sp = despaced(d)[native];
    if (sp !== undefined) return d[sp];
    if (!dotted) return undefined;
    for (const p of prefixes) { const v = d[p.key]; if (v !== undefined && typeof v === 'object') return walk(v, parts, p.at); }
    return walk(d, parts, 0);
  };
}

/** Channel, event id of a record: from the system header, else from the format's data fields. */
export function recordHeader(p: Pipelines, rec: RawRecord): { channel: string; eventId: number | null } {
  let channel = rec.system.channel;
  let eventId = rec.system.eventId;
  const fmt = formatOf(p, rec.format);
  if (channel === undefined) for (const k of fmt.system.channel ?? []) if (typeof rec.data[k] === 'string') { channel = rec.data[k] as string; break; }
  if (eventId === undefined) for (const k of fmt.system.eventId ?? []) if (rec.data[k] !== undefined) { eventId = Number(rec.data[k]); break; }
  return { channel: (channel ?? '').toLowerCase(), eventId: eventId ?? null };
}

/**
 * Calls `visit` with every leaf value of a record's data, as keyword searches see them: values of
 * nested objects (walked), and the elements of lists (a list in a list is one value).
 */
export function forEachLeaf(data: Record<string, unknown>, visit: (v: unknown) => void): void {
  for (const k in data) {
    const v = data[k];
    if (Array.isArray(v)) { for (const x of v) visit(x); } else if (v !== null && typeof v === 'object') forEachLeaf(v as Record<string, unknown>, visit);
    else visit(v);
  }
}

/** Every leaf value of a record's data (keyword searches look at all of them). */
export function allValues(data: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  forEachLeaf(data, (v) => { out.push(v); });
  return out;
}
