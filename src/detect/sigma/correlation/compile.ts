/** Compiles a correlation document (the correlation rules specification) into plain data. */
import type { RuleDoc } from '../collector.js';
import { CompileError } from '../compiler/errors.js';
import { readMeta } from '../compiler/rule.js';
import type { CompiledCorrelation, CorrelationType } from '../types.js';

const TYPES: CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile'];
const OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, y: 31_536_000_000 };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

/** `90m` → milliseconds; null when malformed. */
export function parseTimespan(v: unknown): number | null {
  const m = /^(\d+)([smhdwMy])$/.exec(String(v ?? ''));
  return m ? Number(m[1]) * UNIT[m[2]] : null;
}

function readCondition(type: CorrelationType, v: unknown): CompiledCorrelation['condition'] {
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  if (v === undefined && temporal) return { ops: {} };
  if (!isObj(v)) throw new CompileError('correlation needs a condition map', ['correlation', 'condition']);
  const out: CompiledCorrelation['condition'] = { ops: {} };
  for (const [k, val] of Object.entries(v)) {
    if (k === 'field') { out.field = String(val); continue; }
    if (!(OPS as readonly string[]).includes(k) || typeof val !== 'number') throw new CompileError(`bad correlation condition '${k}'`, ['correlation', 'condition', k]);
    out.ops[k as (typeof OPS)[number]] = val;
  }
  if (!Object.keys(out.ops).length && !temporal) throw new CompileError('correlation condition has no comparison', ['correlation', 'condition']);
  const needsField = ['value_count', 'value_sum', 'value_avg', 'value_percentile'].includes(type);
  if (needsField && !out.field) throw new CompileError(`${type} needs condition.field`, ['correlation', 'condition']);
  return out;
}

/** Compiles one correlation rule. */
export function compileCorrelation(d: RuleDoc): CompiledCorrelation {
  const meta = readMeta(d);
  const c = d.body.correlation as Obj;
  const type = String(c.type) as CorrelationType;
  if (!TYPES.includes(type)) throw new CompileError(`unknown correlation type '${String(c.type)}'`, ['correlation', 'type']);
  const rules = list(c.rules);
  if (!rules.length) throw new CompileError('correlation names no rules', ['correlation', 'rules']);
  const timespanMs = parseTimespan(c.timespan ?? c.timeframe);
  if (timespanMs === null) throw new CompileError(`bad timespan '${String(c.timespan)}'`, ['correlation', 'timespan']);
  const aliases: CompiledCorrelation['aliases'] = {};
  if (isObj(c.aliases)) for (const [a, m] of Object.entries(c.aliases)) if (isObj(m)) aliases[a] = Object.fromEntries(Object.entries(m).map(([k, f]) => [k, String(f)]));
  return {
    kind: 'correlation', ...meta, type, rules, groupBy: list(c['group-by']), timespanMs, aliases,
    condition: readCondition(type, c.condition), generate: c.generate === true || d.body.generate === true,
  };
}
