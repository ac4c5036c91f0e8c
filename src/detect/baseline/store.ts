/**
 * The single-file store: NDJSON, one header line then one line per entry, sorted by scope, kind and
 * value, with fixed key order and ISO times, so the same baseline always writes the same bytes and
 * save → load → save is byte-identical. Format described in docs/baseline.md.
 */
import { diag, isoTime, type Diagnostic } from '../../core/index.js';
import type { FactKind } from './facts.js';
import type { GroupsConfig } from './groups.js';
import type { BaselineData, BaselineEntry, BaselineParams } from './model.js';

export const STORE_FORMAT = 'shellwatch-baseline';
export const STORE_VERSION = 1;

/** What a store file holds, before it becomes a Baseline. */
export interface StoredBaseline { params: BaselineParams; groups: GroupsConfig; entries: BaselineEntry[] }

const KINDS: ReadonlySet<string> = new Set<FactKind>(['events', 'pair', 'template', 'user']);
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));

/** The store text of a baseline (header line, then entries), ending with a newline. */
export function serializeBaseline(b: BaselineData): string {
  const p = b.params;
  const span = b.span();
  const sorted = b.sorted();
  const header = {
    format: STORE_FORMAT, version: STORE_VERSION,
    window: { from: isoOrNull(p.from), to: isoOrNull(p.to) },
    halfLifeDays: p.halfLifeDays, dropAfterDays: p.dropAfterDays, quotedMin: p.quotedMin,
    groups: b.groups.config,
    span: span ? { first: isoTime(span.first), last: isoTime(span.last) } : null,
    entries: sorted.length,
  };
  const lines = [JSON.stringify(header)];
  for (const e of sorted) {
    lines.push(JSON.stringify({ scope: e.scope, kind: e.kind, value: e.value, first: isoTime(e.first), last: isoTime(e.last), count: e.count, hosts: e.hosts }));
  }
  return `${lines.join('\n')}\n`;
}

const time = (v: unknown): number | null => (typeof v === 'string' ? (Number.isFinite(Date.parse(v)) ? Date.parse(v) : null) : null);
const num = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : dflt);

function readHeader(line: string | undefined): { params: BaselineParams; groups: GroupsConfig } {
  let h: Record<string, unknown>;
  try { h = JSON.parse(line ?? '') as Record<string, unknown>; } catch { throw new Error('not a shellwatch baseline (first line is not JSON)'); }
  if (h?.format !== STORE_FORMAT) throw new Error('not a shellwatch baseline (format)');
  if (h.version !== STORE_VERSION) throw new Error(`baseline format version ${String(h.version)} is not supported (expected ${STORE_VERSION})`);
  const w = (h.window ?? {}) as Record<string, unknown>;
  const g = (h.groups ?? {}) as Partial<GroupsConfig>;
  return {
    params: { from: time(w.from), to: time(w.to), halfLifeDays: num(h.halfLifeDays, 30), dropAfterDays: num(h.dropAfterDays, 90), quotedMin: num(h.quotedMin, 80) },
    groups: { hostGroups: g.hostGroups ?? {}, userGroups: g.userGroups ?? {} },
  };
}

function readEntry(line: string): BaselineEntry | string {
  let r: Record<string, unknown>;
  try { r = JSON.parse(line) as Record<string, unknown>; } catch { return 'not JSON'; }
  const first = time(r.first), last = time(r.last);
  if (typeof r.scope !== 'string' || typeof r.value !== 'string' || typeof r.kind !== 'string' || !KINDS.has(r.kind)) return 'scope, kind or value missing or invalid';
  if (first === null || last === null || typeof r.count !== 'number' || !(r.count > 0)) return 'first, last or count missing or invalid';
  const hosts = Array.isArray(r.hosts) ? r.hosts.filter((x): x is string => typeof x === 'string') : [];
  return { scope: r.scope, kind: r.kind as FactKind, value: r.value, first, last, count: r.count, hosts };
}

/**
 * Parses store text. A wrong format or version throws (the file is not ours to guess at); a bad
 * entry line becomes a diagnostic and is skipped.
 */
export function parseBaseline(text: string, file = '<baseline>'): StoredBaseline & { diagnostics: Diagnostic[] } {
  const lines = text.split('\n');
  const { params, groups } = readHeader(lines[0]);
  const entries: BaselineEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const e = readEntry(lines[i]);
    if (typeof e === 'string') diagnostics.push(diag('SW4004', `baseline entry skipped: ${e}`, { file, line: i + 1 }));
    else entries.push(e);
  }
  return { params, groups, entries, diagnostics };
}
