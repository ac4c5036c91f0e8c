/** Phase 3c: a collected rule document → CompiledRule / CompiledFilter (plain data). */
import { LEVELS, type Level } from '../../../core/index.js';
import type { RuleDoc } from '../collector.js';
import type { CompiledFilter, CompiledRule, Logsource, RuleSource, Search } from '../types.js';
import { compileCondition } from './condition.js';
import { compileSearch } from './detection.js';
import { CompileError } from './errors.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** Lower-cased logsource triple; other keys (definition…) are ignored. */
export function readLogsource(v: unknown): Logsource {
  const ls: Logsource = {};
  if (!isObj(v)) return ls;
  for (const k of ['product', 'category', 'service'] as const) if (typeof v[k] === 'string' && v[k]) ls[k] = (v[k] as string).toLowerCase();
  return ls;
}

/** ATT&CK technique ids from tags: `attack.t1059.001` → `T1059.001`. */
export function techniques(tags: string[]): string[] {
  return tags.map((t) => /^attack\.(t\d{4}(\.\d{3})?)$/i.exec(t)?.[1].toUpperCase()).filter((t): t is string => !!t);
}

/** Shared metadata of rules and correlations. */
export function readMeta(d: RuleDoc): { id: string; name?: string; title: string; level: Level; status: string; tags: string[]; techniques: string[]; source: RuleSource } {
  const b = d.body;
  const id = str(b.id) || `${d.doc.file}#${d.doc.index}`;
  const title = str(b.title);
  if (!title) throw new CompileError('rule has no title', ['title']);
  const lv = str(b.level).toLowerCase();
  const level: Level = (LEVELS as readonly string[]).includes(lv) ? (lv as Level) : 'medium';
  const tags = Array.isArray(b.tags) ? b.tags.map(str) : [];
  const meta = { id, title, level, status: str(b.status), tags, techniques: techniques(tags), source: { file: d.doc.file, line: d.doc.line, column: d.doc.column } };
  return typeof b.name === 'string' ? { ...meta, name: b.name } : meta;
}

/** Compiles a detection map (search identifiers + condition). */
export function compileDetection(det: Obj, placeholders: Record<string, string[]>): { searches: Record<string, Search>; condition: CompiledRule['condition'] } {
  const searches: Record<string, Search> = {};
  for (const [name, v] of Object.entries(det)) if (name !== 'condition' && name !== 'timeframe') searches[name] = compileSearch(name, v, placeholders);
  const names = Object.keys(searches);
  if (det.condition === undefined) {
    // Hayabusa accepts a lone search without a condition; anything else is ambiguous
    if (names.length === 1) return { searches, condition: { t: 'ref', name: names[0] } };
    throw new CompileError('detection has no condition', ['detection']);
  }
  return { searches, condition: compileCondition(det.condition, names) };
}

/** Compiles a detection rule. */
export function compileRule(d: RuleDoc, placeholders: Record<string, string[]>): CompiledRule {
  const meta = readMeta(d);
  if (!isObj(d.body.logsource)) throw new CompileError('rule has no logsource', ['logsource']);
  const { searches, condition } = compileDetection(d.body.detection as Obj, placeholders);
  return { kind: 'rule', ...meta, logsource: readLogsource(d.body.logsource), searches, condition };
}

/** Compiles a filter (the filters specification). */
export function compileFilter(d: RuleDoc, placeholders: Record<string, string[]>): CompiledFilter {
  const meta = readMeta(d);
  const f = d.body.filter as Obj;
  const rules = Array.isArray(f.rules) ? f.rules.map(str) : typeof f.rules === 'string' ? [f.rules] : [];
  if (rules.length === 0) throw new CompileError('filter names no rules', ['filter', 'rules']);
  const det = Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'rules'));
  const { searches, condition } = compileDetection(det, placeholders);
  return { kind: 'filter', id: meta.id, title: meta.title, rules, logsource: readLogsource(d.body.logsource), searches, condition, source: meta.source };
}
