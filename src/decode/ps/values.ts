/**
 * Values of the static PowerShell evaluator and PowerShell's conversions between them: strings,
 * numbers, arrays, byte arrays, and a few opaque objects (streams, encodings, variables) that the
 * decoding idioms pass around. Only data: nothing here can run anything.
 */

export type Obj =
  | { t: 'bytes'; b: Buffer }
  | { t: 'stream'; b: Buffer }
  | { t: 'reader'; b: Buffer; enc: string }
  | { t: 'encoding'; name: string }
  | { t: 'type'; name: string }
  | { t: 'method'; type: string; name: string }
  | { t: 'variable'; name: string; value: Value }
  | { t: 'block'; from: number; to: number }
  | { t: 'hashtable' }
  | { t: 'securestring'; text: string };

export type Value = string | number | boolean | null | Value[] | Obj;

/** What members and cmdlets may touch of the evaluator (kept here so the two files import no cycle). */
export interface EvalHost {
  readonly vars: Map<string, Value>;
  tech: Set<string>;
  readonly budget: { room(): number; step(n?: number): boolean };
  readonly ofs: string;
  invoke(payload: Value, at: number): Value;
}

/** Largest string or array the evaluator builds (bounded by the caller's output budget too). */
export const MAX_VALUE = 1 << 20;

export const isObj = (v: Value): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isArr = (v: Value): v is Value[] => Array.isArray(v);

/** PowerShell's string conversion; arrays join with $OFS (a space unless set). */
export function str(v: Value, ofs = ' '): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(+v.toPrecision(15));
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (isArr(v)) return v.slice(0, MAX_VALUE).map((x) => str(x, ofs)).join(ofs).slice(0, MAX_VALUE);
  switch (v.t) {
    case 'bytes': return [...v.b.subarray(0, 4096)].join(ofs);
    case 'type': return v.name;
    case 'variable': return `System.Management.Automation.PSVariable`;
    case 'hashtable': return 'System.Collections.Hashtable';
    case 'encoding': return `System.Text.${v.name}Encoding`;
    case 'securestring': return 'System.Security.SecureString';
    default: return '';
  }
}

/** PowerShell's numeric conversion (hex strings, chars as their code are the caller's business). */
export function num(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[+-]?0x[0-9a-f]+$/i.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[+-]/, ''), 16);
    return t === '' ? 0 : Number(t);
  }
  if (isArr(v) && v.length === 1) return num(v[0]);
  return NaN;
}

/** Flattens a value into a list (a scalar is a one-item list; bytes become numbers). */
export function list(v: Value): Value[] {
  if (isArr(v)) return v;
  if (v === null) return [];
  if (isObj(v) && v.t === 'bytes') return [...v.b.subarray(0, MAX_VALUE)];
  return [v];
}

/** A char from a number or a one-character string ([char] cast). */
export function char(v: Value): string {
  if (typeof v === 'string') return v.length === 1 ? v : String.fromCharCode(num(v) & 0xffff);
  const n = num(v);
  return Number.isFinite(n) ? String.fromCharCode(n & 0xffff) : '';
}

/** Bytes of a value: byte arrays as they are, number lists as bytes. */
export function bytes(v: Value): Buffer | null {
  if (isObj(v) && (v.t === 'bytes' || v.t === 'stream')) return v.b;
  if (isArr(v)) return Buffer.from(v.slice(0, MAX_VALUE).map((x) => num(x) & 0xff));
  return null;
}

/** The -f operator: {0}, {1,-5}, {0:X2}; {{ and }} are braces. */
export function format(fmt: string, args: Value[], ofs: string): string {
  return fmt.replace(/\{\{|\}\}|\{(\d+)(?:,(-?\d+))?(?::([^}]*))?\}/g, (m, idx: string | undefined, align: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const a = args[Number(idx)];
    let s = spec && /^x\d*$/i.test(spec) ? num(a ?? 0).toString(16).padStart(Number(spec.slice(1)) || 0, '0') : str(a ?? null, ofs);
    if (spec && spec[0] === 'X') s = s.toUpperCase();
    const w = Number(align ?? 0);
    return w > 0 ? s.padStart(w) : w < 0 ? s.padEnd(-w) : s;
  });
}

/** -replace with a .NET regex (case-insensitive unless -creplace); $1 and ${name} in the replacement. */
export function regexReplace(input: string, pattern: string, to: string, ci: boolean): string {
  const re = toRegExp(pattern, ci ? 'gi' : 'g');
  if (!re) return input;
  return input.replace(re, to.replace(/\$\{(\w+)\}/g, '$<$1>').replace(/\$(?!\d|<|&|\$)/g, '$$$$'));
}

/** A JavaScript RegExp for a .NET pattern, or null when it cannot be expressed (or is risky). */
export function toRegExp(pattern: string, flags: string): RegExp | null {
  if (pattern.length > 200 || /\(\?[<!=]?[^:)]*\)|\\[pPAZz]|\(\?[imsx-]+\)/.test(pattern)) {
    if (!/^\(\?[imsx-]+\)/.test(pattern)) return null;
  }
  // nested quantifiers are where backtracking explodes: refuse them rather than risk a hang
  if (/\([^)]*[+*][^)]*\)[+*{]/.test(pattern)) return null;
  try { return new RegExp(pattern.replace(/^\(\?i\)/, ''), flags); } catch { return null; }
}
