/** Loads and validates the mapping files (YAML) into compiled mappings; problems become diagnostics. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diag, type Diagnostic, type EventKind, parseYaml } from '../core/index.js';
import { TRANSFORMS, type Transform } from './transforms.js';

/** One source field: a name, and for list-valued fields (unnamed EventData) an element index: `Data[2]`. */
export interface FieldRef { key: string; index?: number }
export interface FieldSpec { from: FieldRef[]; transform?: Transform; domain?: string[] }

function ref(name: string): FieldRef {
  const m = /^(.*)\[(\d+)\]$/.exec(name);
  return m ? { key: m[1], index: Number(m[2]) } : { key: name };
}
export interface SourceSpec { providers: Set<string>; channels: Set<string> }
export interface Mapping {
  id: string;
  kind: EventKind;
  source?: SourceSpec;
  format?: string;
  eventIds?: number[];
  where?: [string, string[]][];
  fields: [string[], FieldSpec][];
}

const KINDS = new Set<EventKind>(['process_start', 'process_end', 'network', 'script_block', 'file_create', 'image_load', 'logon', 'logoff', 'task_created', 'service_created']);

/** The folder of mapping files shipped with shellwatch. */
export const MAPPINGS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'mappings');

function lowerSet(v: unknown): Set<string> {
  return new Set((Array.isArray(v) ? v : v == null ? [] : [v]).map((x) => String(x).toLowerCase()));
}

function fieldSpec(v: unknown, where: string, diags: Diagnostic[]): FieldSpec | undefined {
  if (typeof v === 'string') {
    const [name, t] = v.split('|').map((s) => s.trim());
    if (t && !TRANSFORMS[t]) { diags.push(diag('SW2002', `unknown transform '${t}' in ${where}`, { file: where })); return undefined; }
    return { from: [ref(name)], transform: t ? TRANSFORMS[t] : undefined };
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const from = (Array.isArray(o.from) ? o.from : [o.from]).map((x) => ref(String(x)));
    const t = o.as === undefined ? undefined : String(o.as);
    if (t && !TRANSFORMS[t]) { diags.push(diag('SW2002', `unknown transform '${t}' in ${where}`, { file: where })); return undefined; }
    const domain = o.domain === undefined ? undefined : (Array.isArray(o.domain) ? o.domain : [o.domain]).map(String);
    return { from, transform: t ? TRANSFORMS[t] : undefined, domain };
  }
  diags.push(diag('SW2002', `bad field spec in ${where}`, { file: where }));
  return undefined;
}

function compileOne(m: Record<string, unknown>, file: string, sources: Map<string, SourceSpec>, diags: Diagnostic[]): Mapping | undefined {
  const id = String(m.id ?? '');
  const kind = m.kind as EventKind;
  if (!id || !KINDS.has(kind)) { diags.push(diag('SW2002', `mapping '${id}' needs an id and a known kind`, { file })); return undefined; }
  let source: SourceSpec | undefined;
  if (m.source !== undefined) {
    source = sources.get(String(m.source));
    if (!source) { diags.push(diag('SW2002', `mapping '${id}' names unknown source '${String(m.source)}'`, { file })); return undefined; }
  }
  const fields: [string[], FieldSpec][] = [];
  for (const [target, spec] of Object.entries((m.fields ?? {}) as Record<string, unknown>)) {
    const f = fieldSpec(spec, `${file} ${id}.${target}`, diags);
    if (f) fields.push([target.split('.'), f]);
  }
  const eventIds = m.eventId === undefined ? undefined : (Array.isArray(m.eventId) ? m.eventId : [m.eventId]).map(Number);
  const where = m.where ? Object.entries(m.where as Record<string, unknown>).map(([k, v]): [string, string[]] => [k, (Array.isArray(v) ? v : [v]).map(String)]) : undefined;
  return { id, kind, source, format: m.format === undefined ? undefined : String(m.format), eventIds, where, fields };
}

/** Reads sources.yaml and every other mapping file in `dir`, in name order. */
export function loadMappings(dir = MAPPINGS_DIR): { mappings: Mapping[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, SourceSpec>();
  const srcFile = join(dir, 'sources.yaml');
  const srcDoc = parseYaml(readFileSync(srcFile, 'utf8')) as Record<string, Record<string, unknown>>;
  for (const [name, s] of Object.entries(srcDoc ?? {})) sources.set(name, { providers: lowerSet(s.providers), channels: lowerSet(s.channels) });
  const mappings: Mapping[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name) || name === 'sources.yaml') continue;
    const file = join(dir, name);
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(file, 'utf8'));
    } catch (e) {
      diagnostics.push(diag('SW2002', `cannot parse: ${(e as Error).message}`, { file }));
      continue;
    }
    for (const m of Array.isArray(doc) ? doc : []) {
      const c = compileOne(m as Record<string, unknown>, file, sources, diagnostics);
      if (c) mappings.push(c);
    }
  }
  return { mappings, diagnostics };
}
