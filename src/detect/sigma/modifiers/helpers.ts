/** Conversions shared by several modifiers. */
import { literalOf, parseSigmaString } from '../compiler/value.js';
import type { GlobPart } from '../types.js';
import { ModifierError, type Val } from './types.js';

/** The value as glob parts (raw strings are wildcard-parsed here). */
export function toParts(v: Val, mod: string): GlobPart[] {
  if (v.k === 'str') return v.parts;
  if (v.k === 'raw') {
    if (v.v === null) throw new ModifierError(`'${mod}' cannot apply to null`);
    return parseSigmaString(String(v.v));
  }
  throw new ModifierError(`'${mod}' needs a string value`);
}

/** The value as plain text without wildcards (for encodings). */
export function toPlain(v: Val, mod: string): string {
  const lit = literalOf(toParts(v, mod));
  if (lit === null) throw new ModifierError(`'${mod}' cannot encode a value with wildcards`);
  return lit;
}

/** The raw scalar text (regex, cidr, fieldref read the value exactly as written). */
export function rawText(v: Val, mod: string): string {
  if (v.k === 'raw' && v.v !== null && typeof v.v !== 'boolean') return String(v.v);
  if (v.k === 'str') { const lit = literalOf(v.parts); if (lit !== null) return lit; }
  throw new ModifierError(`'${mod}' needs a plain string value`);
}

/** Adds `*` at the start and/or end of a string value. */
export function wrap(v: Val, mod: string, before: boolean, after: boolean): Val {
  if (v.k === 'test' && v.test.t === 'fieldref') {
    const op = before && after ? 'contains' : before ? 'endswith' : 'startswith';
    return { k: 'test', test: { ...v.test, op } };
  }
  const parts = toParts(v, mod);
  const out: GlobPart[] = [...parts];
  if (before && !(typeof out[0] === 'object' && out[0].w === '*')) out.unshift({ w: '*' });
  const last = out[out.length - 1];
  if (after && !(typeof last === 'object' && last.w === '*')) out.push({ w: '*' });
  return { k: 'str', parts: out };
}
