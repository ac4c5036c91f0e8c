/** Phase 3a: search identifiers (maps, lists, keywords, modifier chains) → Search trees. */
import { MODIFIERS, ModifierError, type ModState, type Val } from '../modifiers/index.js';
import { RegexError } from '../regex/parser.js';
import type { FieldTest, Search, ValueTest } from '../types.js';
import { CompileError } from './errors.js';
import { parseSigmaString } from './value.js';

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function finish(v: Val, st: ModState): ValueTest {
  let t: ValueTest;
  if (v.k === 'test') t = v.test;
  else if (v.k === 'bytes') throw new ModifierError('utf16 modifiers must be followed by base64 or base64offset');
  else if (v.k === 'raw' && v.v === null) t = { t: 'null' };
  else t = { t: 'glob', parts: v.k === 'str' ? v.parts : parseSigmaString(String(v.v)), cased: st.cased };
  return st.neq ? { t: 'not', test: t } : t;
}

/** Compiles one `field|mod|mod: value(s)` item; `field` '' means a keyword search. */
export function compileFieldItem(key: string, value: unknown, placeholders: Record<string, string[]>, path: (string | number)[]): FieldTest {
  const [field, ...mods] = key.split('|');
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new CompileError(`'${key}' has an empty value list`, path);
  if (!list.every(isScalar)) throw new CompileError(`'${key}' values must be scalars`, path);
  const st: ModState = { all: false, cased: false, neq: false, placeholders };
  let vals: Val[] = list.map((v) => ({ k: 'raw', v }));
  const keyword = field === '';
  if (keyword && !mods.some((m) => ['contains', 'startswith', 'endswith', 're'].includes(m))) mods.push('contains');
  for (const m of mods) {
    const mod = MODIFIERS.get(m);
    if (!mod) throw new CompileError(`unknown modifier '${m}' in '${key}'`, path);
    try { vals = mod.apply(vals, st); } catch (e) {
      if (e instanceof ModifierError || e instanceof RegexError) throw new CompileError(`'${key}': ${e.message}`, path);
      throw e;
    }
  }
  try {
    return { field: keyword ? null : field, all: st.all && list.length > 0, values: vals.map((v) => finish(v, st)) };
  } catch (e) {
    if (e instanceof ModifierError) throw new CompileError(`'${key}': ${e.message}`, path);
    throw e;
  }
}

function compileMap(m: Record<string, unknown>, ph: Record<string, string[]>, path: (string | number)[]): Search {
  const items: Search[] = Object.entries(m).map(([k, v]) => {
    if (isObj(v)) throw new CompileError(`'${k}' maps to a map; expected a value or list`, [...path, k]);
    return { t: 'field', test: compileFieldItem(k, v, ph, [...path, k]) };
  });
  if (items.length === 0) throw new CompileError('empty search map', path);
  return items.length === 1 ? items[0] : { t: 'and', items };
}

/** Compiles one search identifier's value. */
export function compileSearch(name: string, value: unknown, ph: Record<string, string[]>): Search {
  const path = ['detection', name];
  if (isObj(value)) return compileMap(value, ph, path);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new CompileError(`search '${name}' is an empty list`, path);
    const scalars = value.filter(isScalar);
    const items: Search[] = value.filter(isObj).map((m, i) => compileMap(m, ph, [...path, i]));
    if (value.some((v) => !isScalar(v) && !isObj(v))) throw new CompileError(`search '${name}' has nested lists`, path);
    if (scalars.length) items.unshift({ t: 'field', test: compileFieldItem('', scalars, ph, path) });
    return items.length === 1 ? items[0] : { t: 'or', items };
  }
  if (isScalar(value) && value !== null) return { t: 'field', test: compileFieldItem('', [value], ph, path) };
  throw new CompileError(`search '${name}' has no value`, path);
}
