/** Builds predicates from ValueTest data. Every field value is attacker-controlled: no native regex. */
import { regexLiteral, regexMinLength } from '../regex/literal.js';
import { LinearRegex } from '../regex/vm.js';
import { RunFilter } from '../regex/run.js';
import type { NumOp, TimePart, ValueTest } from '../types.js';
import { globMatcher } from './glob.js';
import { cidrContains, parseCidr } from './ip.js';

/** What a value predicate can consult besides the value: the other fields (fieldref) by slot, raw and folded. */
export interface ValueCtx { get(slot: number): unknown; lower(slot: number): string | undefined }

/** Gives the slot of a field name (the engine's field space). */
export interface SlotSpace { slot(name: string): number }

/** `lower` is the case-folded text of `v` when the caller has it cached. */
export type ValuePred = (v: unknown, ctx: ValueCtx, lower?: string) => boolean;

/** Text of a scalar field value; null for objects. */
export function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return null;
}

const anyOf = (v: unknown, f: (x: unknown) => boolean): boolean => (Array.isArray(v) ? v.some(f) : f(v));

function cmp(op: NumOp, a: number, b: number): boolean {
  switch (op) {
    case 'eq': return a === b;
    case 'gt': return a > b;
    case 'gte': return a >= b;
    case 'lt': return a < b;
    case 'lte': return a <= b;
  }
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = text(v);
  return s === null || s.trim() === '' ? NaN : Number(s);
}

/** Date parts in UTC; `YYYY-MM-DD HH:MM:SS` without a zone is read as UTC (Sysmon's UtcTime). */
export function timePart(v: unknown, part: TimePart): number {
  let ms = typeof v === 'number' ? v : NaN;
  const s = text(v);
  if (typeof v !== 'number' && s) {
    let iso = s.trim().replace(' ', 'T');
    if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso)) iso += 'Z';
    ms = Date.parse(iso);
  }
  if (!Number.isFinite(ms)) return NaN;
  const d = new Date(ms);
  switch (part) {
    case 'minute': return d.getUTCMinutes();
    case 'hour': return d.getUTCHours();
    case 'day': return d.getUTCDate();
    case 'month': return d.getUTCMonth() + 1;
    case 'year': return d.getUTCFullYear();
    case 'week': {
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      return Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
    }
  }
}

function strOp(op: 'eq' | 'contains' | 'startswith' | 'endswith', a: string, b: string): boolean {
  return op === 'eq' ? a === b : op === 'contains' ? a.includes(b) : op === 'startswith' ? a.startsWith(b) : a.endsWith(b);
}

/**
 * Folded equality of two strings of one length: 1 equal, 0 not, -1 when a non-ASCII unit is met first
 * (folding may then change lengths or depend on neighbours: the caller lowers both).
 */
function asciiFoldEq(a: string, b: string): number {
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x >= 128 || y >= 128) return -1;
    if (x === y) continue;
    if (x >= 65 && x <= 90) x |= 32;
    if (y >= 65 && y <= 90) y |= 32;
    if (x !== y) return 0;
  }
  return 1;
}

/**
 * True when a regex's required literal must be looked for in the folded text: it holds a letter or a
 * non-ASCII unit. Lowering maps letters only (İ to "i" + U+0307, the Kelvin sign to "k"), so a literal
 * of ASCII non-letters (`\\`, `.`, digits) occurs in the raw value exactly when it occurs in the folded one.
 */
function foldsLiteral(lit: string): boolean {
  return lit !== '' && !/^[\x00-\x40\x5b-\x60\x7b-\x7f]*$/.test(lit);
}

/** True when the predicate of `t` reads the folded text of the value (callers pass it only then). */
export function needsLower(t: ValueTest): boolean {
  // a regex reads it only for its required literal (a regex without one would lower every value for nothing)
  return t.t === 'glob' ? !t.cased : t.t === 're' ? foldsLiteral(regexLiteral(t.pattern, t.flags)) : t.t === 'not' ? needsLower(t.test) : false;
}

/** A predicate over one field value (arrays: any element). `undefined` means the field is absent. */
export function valuePred(t: ValueTest, space: SlotSpace): ValuePred {
  switch (t.t) {
    case 'glob': {
      const m = globMatcher(t.parts, !t.cased);
      const fold = !t.cased;
      return (v, _c, lower) => {
        if (typeof v === 'string') return m(fold ? lower ?? v.toLowerCase() : v);
        return v !== undefined && anyOf(v, (x) => { const s = text(x); return s !== null && m(fold ? s.toLowerCase() : s); });
      };
    }
    case 're': {
      const r = new LinearRegex(t.pattern, t.flags);
      const lit = regexLiteral(t.pattern, t.flags), min = regexMinLength(t.pattern, t.flags), run = RunFilter.of(t.pattern, t.flags);
      // a literal without letters is found in the raw value as in its folded text (lowering changes letters only)
      const raw = !foldsLiteral(lit);
      const one = (s: string, low: string | undefined): boolean => s.length >= min && (!lit || (raw ? s : low ?? s.toLowerCase()).includes(lit)) && (!run || run.test(s)) && r.test(s);
      return (v, _c, lower) => {
        if (typeof v === 'string') return one(v, lower);
        return v !== undefined && anyOf(v, (x) => { const s = text(x); return s !== null && one(s, undefined); });
      };
    }
    case 'num': return (v) => v !== undefined && anyOf(v, (x) => cmp(t.op, toNumber(x), t.value));
    case 'cidr': { const c = parseCidr(t.cidr); return (v) => !!c && v !== undefined && anyOf(v, (x) => { const s = text(x); return s !== null && cidrContains(c, s); }); }
    case 'null': return (v) => v === undefined || v === null;
    case 'exists': return (v) => (v !== undefined) === t.value;
    case 'time': return (v) => v !== undefined && anyOf(v, (x) => cmp(t.op, timePart(x, t.part), t.value));
    case 'fieldref': {
      const slot = space.slot(t.field), cased = t.cased, op = t.op;
      return (v, ctx, lower) => {
        if (v === undefined) return false;
        if (cased) {
          const o = text(ctx.get(slot));
          return o !== null && anyOf(v, (x) => { const s = text(x); return s !== null && strOp(op, s, o); });
        }
        const ov = ctx.get(slot);
        // equal folded strings have equal lengths unless one holds İ (the only unit lowering lengthens)
        if (op === 'eq' && typeof v === 'string' && typeof ov === 'string' && v.length !== ov.length && v.indexOf('\u0130') < 0 && ov.indexOf('\u0130') < 0) return false;
        // equally long ASCII strings are compared folding on the fly (no lowered copies)
        if (op === 'eq' && typeof v === 'string' && typeof ov === 'string' && v.length === ov.length) { const q = asciiFoldEq(v, ov); if (q >= 0) return q === 1; }
        // folded text of both fields from the frame's cache when they are strings
        const o = typeof ov === 'string' ? (ctx.lower(slot) as string) : text(ov)?.toLowerCase() ?? null;
        if (o === null) return false;
        if (typeof v === 'string') return strOp(op, lower ?? v.toLowerCase(), o);
        return anyOf(v, (x) => { const s = text(x); return s !== null && strOp(op, s.toLowerCase(), o); });
      };
    }
    case 'not': { const inner = valuePred(t.test, space); return (v, ctx, lower) => v !== undefined && v !== null && !inner(v, ctx, lower); }
  }
}
