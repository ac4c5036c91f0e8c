/**
 * Phase 3d: the deprecated Sigma-v1 / Hayabusa aggregation conditions (`selection | count() by X > 3`,
 * `count(field) by X >= N`, with the rule's `timeframe`) become a correlation over a hidden base rule:
 * `count()` → event_count, `count(field)` → value_count of that field (distinct values), `sum(field)` →
 * value_sum, `avg(field)` → value_avg; `by a, b` → group-by; `timeframe` → timespan (absent: the whole
 * input is one window). The correlation keeps the rule's id, name, title and level, so alerts read as the
 * rule; the base rule (`<id>:base`) is the rule's detection without the aggregation and is not reported.
 */
import type { RuleDoc } from '../collector.js';
import { parseTimespan } from '../correlation/compile.js';
import type { CompiledCorrelation, CompiledRule } from '../types.js';
import { stickyTokens } from './tokens.js';
import { CompileError } from './errors.js';
import { compileRule } from './rule.js';

type Op = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';
const OPS: Record<string, Op> = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte', '==': 'eq', '=': 'eq' };
const TYPES: Record<string, CompiledCorrelation['type'] | undefined> = { count: 'event_count', sum: 'value_sum', avg: 'value_avg' };
/** A window that never closes (JSON-safe, unlike Infinity): the whole input. */
export const WHOLE_INPUT_MS = Number.MAX_SAFE_INTEGER;
const PATH = ['detection', 'condition'];
const MAX_TEXT = 1024;

/** One parsed aggregation expression (the text after `|`). */
export interface Aggregation {
  fn: 'count' | 'sum' | 'avg';
  field?: string;
  groupBy: string[];
  op: Op;
  value: number;
  /** the expression as written (for notes and messages) */
  text: string;
}

const TOKEN = /\s*(>=|<=|==|[<>=(),]|-?\d+(?:\.\d+)?(?![\w.-])|[A-Za-z_][\w.-]*)/y;

function tokens(src: string): string[] {
  return stickyTokens(src, TOKEN, (u) => fail(`unexpected character '${u}' in aggregation '${src.trim()}'`));
}

function fail(msg: string): never { throw new CompileError(msg, PATH); }
const isName = (t: string | undefined): t is string => t !== undefined && /^[A-Za-z_][\w.-]*$/.test(t);

/** Parses `fn([field]) [by g1[, g2…]] op number`. */
export function parseAggregation(src: string): Aggregation {
  const text = src.trim();
  if (text.length > MAX_TEXT) fail('aggregation expression is too long');
  const t = tokens(text);
  let i = 0;
  const fn = (t[i++] ?? '').toLowerCase();
  if (fn === 'near') fail("aggregation 'near' has no correlation equivalent: write a temporal correlation rule");
  if (fn === 'min' || fn === 'max') fail(`aggregation '${fn}()' has no correlation equivalent`);
  if (!TYPES[fn]) fail(`unknown aggregation '${fn || text}' (expected count, sum or avg)`);
  if (t[i++] !== '(') fail(`'${fn}' needs (…)`);
  const field = isName(t[i]) ? t[i++] : undefined;
  if (t[i++] !== ')') fail(`'${fn}(' needs a field name and )`);
  if (fn !== 'count' && !field) fail(`'${fn}()' needs a field`);
  const groupBy: string[] = [];
  if (t[i]?.toLowerCase() === 'by') {
    i++;
    do { if (!isName(t[i])) fail("'by' needs field names"); groupBy.push(t[i++]); } while (t[i] === ',' && ++i);
  }
  const op = OPS[t[i++] ?? ''];
  if (!op) fail(`aggregation '${text}' needs a comparison (>, >=, <, <=, ==)`);
  const value = Number(t[i++]);
  if (!Number.isFinite(value)) fail(`aggregation '${text}' needs a number to compare with`);
  if (i < t.length) fail(`unexpected '${t[i]}' in aggregation '${text}'`);
  return { fn: fn as Aggregation['fn'], ...(field ? { field } : {}), groupBy, op, value, text };
}

/** Splits a condition into its search expression and its aggregation (null when it has none). */
export function splitAggregation(cond: unknown): { condition: unknown; aggregation: Aggregation | null } {
  const list = Array.isArray(cond) ? cond : [cond];
  const withPipe = list.filter((c) => typeof c === 'string' && c.includes('|'));
  if (!withPipe.length) return { condition: cond, aggregation: null };
  if (list.length !== 1) fail('an aggregation (`| count() …`) must be the only condition of its rule');
  const s = list[0] as string;
  const at = s.indexOf('|');
  return { condition: s.slice(0, at), aggregation: parseAggregation(s.slice(at + 1)) };
}

/** The correlation (id, name, title… of the rule) and the hidden base rule an aggregated rule runs as. */
export function aggregationItems(rule: CompiledRule, agg: Aggregation, timespanMs: number, timeframe: string | null): AggregatedRule {
  const baseId = `${rule.id}:base`;
  const { name: _name, ...plain } = rule;
  const base: CompiledRule = { ...plain, id: baseId };
  const type = agg.fn === 'count' ? (agg.field ? 'value_count' : 'event_count') : TYPES[agg.fn]!;
  const condition: CompiledCorrelation['condition'] = { ops: { [agg.op]: agg.value } };
  if (agg.field) condition.field = agg.field;
  const correlation: CompiledCorrelation = {
    kind: 'correlation', id: rule.id, ...(rule.name ? { name: rule.name } : {}), title: rule.title, level: rule.level, status: rule.status,
    tags: rule.tags, techniques: rule.techniques, type, rules: [baseId], groupBy: agg.groupBy, timespanMs, aliases: {}, condition, generate: false, source: rule.source,
  };
  const within = timeframe ? `within ${timeframe}` : 'over the whole input (no timeframe)';
  const note = `loaded as a correlation (${type}): deprecated aggregation '| ${agg.text}' ${within}`;
  return { correlation, base, note };
}

/** What an aggregated rule document loads as. */
export interface AggregatedRule { correlation: CompiledCorrelation; base: CompiledRule; note: string }

/** Compiles a rule whose condition ends in an aggregation; null when its condition has none. */
export function compileAggregated(d: RuleDoc, placeholders: Record<string, string[]>): AggregatedRule | null {
  const det = d.body.detection as Record<string, unknown>;
  const { condition, aggregation } = splitAggregation(det.condition);
  if (!aggregation) return null;
  const rule = compileRule({ ...d, body: { ...d.body, detection: { ...det, condition } } }, placeholders);
  const tf = det.timeframe ?? d.body.timeframe;
  if (tf === undefined || tf === null) return aggregationItems(rule, aggregation, WHOLE_INPUT_MS, null);
  const span = parseTimespan(tf);
  if (span === null) throw new CompileError(`bad timeframe '${String(tf)}' (expected e.g. 30s, 5m, 1h, 2d)`, det.timeframe !== undefined ? ['detection', 'timeframe'] : ['timeframe']);
  return aggregationItems(rule, aggregation, span, String(tf));
}
