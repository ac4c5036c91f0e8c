/**
 * The expression half of the static PowerShell evaluator: operators in PowerShell's precedence
 * order, casts, member access, indexing, literals and expandable strings. Statements, pipelines
 * and commands are the subclass's (eval.ts); this class only declares what it needs of them.
 */
import type { Budget } from '../budget.js';
import { callMember, callStatic, cast, variableValue } from './members.js';
import type { Tok } from './lex.js';
import { lex, unescapeDouble } from './lex.js';
import { type EvalHost, format, isArr, isObj, list, MAX_VALUE, num, regexReplace, str, type Value } from './values.js';

const CMP = new Set(['-eq', '-ne', '-gt', '-ge', '-lt', '-le', '-ieq', '-ceq', '-like', '-ilike', '-clike', '-match', '-imatch', '-cmatch', '-contains', '-in', '-notlike', '-notmatch']);
const REPL = new Set(['-replace', '-ireplace', '-creplace']);
const SPLIT = new Set(['-split', '-isplit', '-csplit']);

/** Comparison-level operators (a command's named argument never is one). */
export const isComparison = (v: string): boolean => CMP.has(v);

export abstract class ExpressionEvaluator implements EvalHost {
  p = 0;
  toks: Tok[] = [];
  readonly vars = new Map<string, Value>();
  tech = new Set<string>();
  protected depth = 0;
  /** inside a method's argument list, a comma separates arguments instead of building an array */
  protected noComma = false;

  constructor(readonly budget: Budget) {}

  get ofs(): string { const o = this.vars.get('ofs'); return o === undefined ? ' ' : str(o); }
  peek(k = 0): Tok | undefined { return this.toks[this.p + k]; }
  is(v: string, k = 0): boolean { const t = this.peek(k); return !!t && (t.kind === 'punct' || t.kind === 'op') && t.v === v; }
  eat(v: string): boolean { if (this.is(v)) { this.p++; return true; } return false; }


  abstract statements(to: number): Value[];
  abstract pipeline(to: number): Value;
  abstract command(input: Value | undefined, to: number): Value;
  abstract skipBlock(): { from: number; to: number };
  abstract invoke(payload: Value, at: number): Value;

  /** Comma-separated expressions up to a closing token (consumed). */
  commaList(close: string): Value[] {
    const out: Value[] = [];
    while (this.p < this.toks.length && !this.is(close) && this.budget.step()) {
      if (this.eat(',')) continue;
      if (this.peek()?.kind === 'nl') { this.p++; continue; }
      const s = this.p;
      const save = this.noComma;
      this.noComma = true;
      out.push(this.pipeline(this.toks.length));
      this.noComma = save;
      if (this.p === s) this.p++;
    }
    this.eat(close);
    return out;
  }

  // ---- expressions, lowest precedence first ----

  expr(): Value {
    if (++this.depth > 200) { this.depth--; return null; }
    let v = this.bitwise();
    while (this.peek()?.kind === 'op' && /^-(and|or|xor)$/.test(this.peek()!.v)) {
      const op = this.peek()!.v;
      this.p++;
      const r = this.bitwise();
      v = op === '-and' ? truthy(v) && truthy(r) : op === '-or' ? truthy(v) || truthy(r) : truthy(v) !== truthy(r);
    }
    this.depth--;
    return v;
  }

  bitwise(): Value {
    let v = this.comparison();
    while (this.peek()?.kind === 'op' && /^-(bxor|band|bor)$/.test(this.peek()!.v)) {
      const op = this.peek()!.v;
      this.p++;
      const r = this.comparison();
      this.tech.add('xor');
      const f = (a: number, b: number): number => (op === '-bxor' ? a ^ b : op === '-band' ? a & b : a | b);
      v = isArr(v) ? v.map((x) => f(num(x), num(r))) : f(num(v), num(r));
    }
    return v;
  }

  comparison(): Value {
    let v = this.additive();
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'op') break;
      if (REPL.has(t.v)) { this.p++; v = this.replaceOp(v, this.additive(), t.v !== '-creplace'); continue; }
      if (SPLIT.has(t.v)) { this.p++; v = this.splitOp(v, this.additive()); continue; }
      if (t.v === '-join') { this.p++; this.tech.add('join'); v = list(v).map((x) => str(x, this.ofs)).join(str(this.additive())); continue; }
      if (CMP.has(t.v)) { this.p++; const r = this.additive(); v = str(v).toLowerCase() === str(r).toLowerCase(); continue; }
      if (t.v === '-as' || t.v === '-is' || t.v === '-isnot') { this.p++; const ty = this.peek(); this.p++; v = t.v === '-as' && ty?.kind === 'type' ? cast(this, ty.v, v) : v; continue; }
      break;
    }
    return v;
  }

  private replaceOp(v: Value, r: Value, ci: boolean): Value {
    this.tech.add('replace');
    const [pat, to] = isArr(r) ? [str(r[0] ?? ''), str(r[1] ?? '')] : [str(r), ''];
    const one = (x: Value): string => regexReplace(str(x, this.ofs), pat, to, ci);
    return isArr(v) ? v.map(one) : one(v);
  }

  private splitOp(v: Value, r: Value): Value {
    this.tech.add('split');
    const pat = str(isArr(r) ? r[0] : r);
    const re = (() => { try { return pat.length < 100 ? new RegExp(pat, 'i') : null; } catch { return null; } })();
    return list(v).flatMap((x) => (re ? str(x).split(re) : [str(x)]));
  }

  additive(): Value {
    let v = this.multiplicative();
    for (;;) {
      if (this.eat('+')) { v = this.add(v, this.multiplicative()); continue; }
      if (this.eat('-')) { v = num(v) - num(this.multiplicative()); continue; }
      break;
    }
    return v;
  }

  add(a: Value, b: Value): Value {
    if (a === null) return typeof b === 'string' || isArr(b) ? b : num(b);
    if (typeof a === 'string') { this.tech.add('string-concat'); return (a + str(b, this.ofs)).slice(0, MAX_VALUE); }
    if (isArr(a)) return [...a, ...list(b)].slice(0, MAX_VALUE);
    if (typeof a === 'number' || typeof a === 'boolean' || a === null) return num(a) + num(b);
    return str(a) + str(b);
  }

  multiplicative(): Value {
    let v = this.formatOp();
    for (;;) {
      if (this.eat('*')) { const r = this.formatOp(); v = typeof v === 'string' ? v.repeat(Math.max(0, Math.min(num(r), MAX_VALUE / Math.max(1, v.length)))) : num(v) * num(r); continue; }
      if (this.eat('/')) { v = num(v) / num(this.formatOp()); continue; }
      if (this.eat('%')) { v = num(v) % num(this.formatOp()); continue; }
      break;
    }
    return v;
  }

  formatOp(): Value {
    let v = this.range();
    while (this.peek()?.kind === 'op' && this.peek()!.v === '-f') {
      this.p++;
      this.tech.add('format-operator');
      v = format(str(v), list(this.range()), this.ofs);
    }
    return v;
  }

  range(): Value {
    const v = this.comma();
    if (!this.eat('..')) return v;
    const a = num(v);
    const b = num(this.comma());
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a - b) > MAX_VALUE) return null;
    const out: number[] = [];
    for (let i = a; a <= b ? i <= b : i >= b; i += a <= b ? 1 : -1) out.push(i);
    return out;
  }

  comma(): Value {
    const first = this.unary();
    if (!this.is(',') || this.noComma) return first;
    const out: Value[] = [first];
    while (this.eat(',') && this.budget.step()) { if (this.peek()?.kind === 'nl') this.p++; out.push(this.unary()); }
    return out;
  }

  unary(): Value {
    const t = this.peek();
    if (!t) return null;
    if (t.kind === 'type') {
      this.p++;
      if (this.is('::')) return this.postfix(this.staticMember(t.v));
      return cast(this, t.v, this.unary());
    }
    if (t.kind === 'op' && (t.v === '-join' || t.v === '-not' || t.v === '-split' || t.v === '-bnot')) {
      this.p++;
      const v = this.unary();
      if (t.v === '-join') { this.tech.add('join'); return list(v).map((x) => str(x, this.ofs)).join(''); }
      if (t.v === '-split') return str(v).trim().split(/\s+/);
      return t.v === '-bnot' ? ~num(v) : !num(v);
    }
    if (this.is('!')) { this.p++; return !num(this.unary()); }
    if (this.is('-')) { this.p++; return -num(this.unary()); }
    if (this.is('+')) { this.p++; return num(this.unary()); }
    if (this.is('++') || this.is('--')) {
      this.p++;
      const v = this.peek();
      const r = this.postfix(this.primary());
      if (v?.kind === 'var') { const n = num(r) + (t.v === '++' ? 1 : -1); this.vars.set(varName(v.v), n); return n; }
      return r;
    }
    return this.postfix(this.primary());
  }

  private staticMember(type: string): Value {
    this.p++;
    const name = this.peek()?.v ?? '';
    this.p++;
    const args = this.is('(') && !this.peek()!.space ? (this.p++, this.commaList(')')) : null;
    return callStatic(this, type.toLowerCase().replace(/^system\./, ''), name.toLowerCase(), args);
  }

  postfix(v: Value): Value {
    for (let n = 0; n < 10_000 && this.budget.step(); n++) {
      const t = this.peek();
      if (!t || t.space) break;
      if (this.is('[')) { this.p++; const save = this.noComma; this.noComma = false; const idx = this.pipeline(this.toks.length); this.noComma = save; this.eat(']'); v = this.index(v, idx); continue; }
      if (this.is('.') || this.is('::')) {
        const r = this.member(v);
        if (r === undefined) break;
        v = r;
        continue;
      }
      if (this.is('++') || this.is('--')) { this.p++; continue; }
      break;
    }
    return v;
  }

  /** `.name`, `."name"`, `.(expr)`, `::name(...)` after a value; undefined when no member follows. */
  private member(v: Value): Value | undefined {
    const isStatic = this.is('::');
    const nt = this.peek(1);
    let name: string;
    if (nt?.kind === 'word') { name = nt.v; this.p += 2; }
    else if (nt && (nt.kind === 'str' || nt.kind === 'xstr')) { name = this.stringValue(nt); this.p += 2; }
    else if (nt?.v === '(' && nt.kind === 'punct') { this.p += 2; name = str(this.pipelineUntil(')')); }
    else return undefined;
    const args = this.is('(') && !this.peek()!.space ? (this.p++, this.commaList(')')) : null;
    const m = name.toLowerCase();
    if (isStatic || (isObj(v) && v.t === 'type')) {
      const type = (isObj(v) && v.t === 'type' ? v.name : str(v)).toLowerCase().replace(/^system\./, '');
      const r = callStatic(this, type, m, args);
      return r === null && args === null ? { t: 'method', type, name: m } : r;
    }
    if (isObj(v) && v.t === 'method' && m === 'invoke') return callStatic(this, v.type, v.name, args ?? []);
    return callMember(this, v, m, args);
  }

  index(v: Value, idx: Value): Value {
    const pick = (i: Value): Value => {
      let k = num(i);
      const arr = typeof v === 'string' ? v : list(v);
      if (!Number.isFinite(k)) return null;
      if (k < 0) k += arr.length;
      const x = arr[k];
      return x === undefined ? null : x;
    };
    if (isArr(idx)) { this.tech.add('char-index'); return idx.slice(0, MAX_VALUE).map(pick); }
    return pick(idx);
  }

  primary(): Value {
    const save = this.noComma;
    this.noComma = false;
    try { return this.primaryInner(); } finally { this.noComma = save; }
  }

  private primaryInner(): Value {
    const t = this.peek();
    if (!t) return null;
    this.p++;
    switch (t.kind) {
      case 'str': return t.v;
      case 'xstr': return this.stringValue(t);
      case 'num': return parseNum(t.v);
      case 'var': return variableValue(this, t.v);
      case 'word': { this.p--; return this.command(undefined, this.toks.length); }
      case 'type': return cast(this, t.v, this.unary());
      default: break;
    }
    if (t.v === '(') { const v = this.pipelineUntil(')'); return v; }
    if (t.v === '$' || t.v === '@') {
      if (this.is('(')) { this.p++; const out = this.statements(this.closing('(')); this.eat(')'); return t.v === '@' ? out : out.length === 1 ? out[0] : out.length ? out : null; }
      if (t.v === '@' && this.is('{')) { this.skipBlock(); return { t: 'hashtable' }; }
    }
    if (t.v === '{') { this.p--; const b = this.skipBlock(); return { t: 'block', from: b.from, to: b.to }; }
    return null;
  }

  pipelineUntil(close: string): Value {
    const end = this.closing('(');
    const v = this.pipeline(end);
    this.p = Math.max(this.p, end);
    this.eat(close);
    return v;
  }

  /** Index of the token closing the group whose opener was just consumed. */
  closing(open: string): number {
    const close = open === '(' ? ')' : open === '{' ? '}' : ']';
    let d = 1;
    for (let i = this.p; i < this.toks.length; i++) {
      const t = this.toks[i];
      if (t.kind !== 'punct') continue;
      if (t.v === open) d++;
      else if (t.v === close && --d === 0) return i;
    }
    return this.toks.length;
  }

  /** An expandable string: escapes, $var and $( … ) interpolated. */
  stringValue(t: Tok): string {
    if (t.kind === 'str') return t.v;
    const raw = t.v;
    if (!raw.includes('$')) return unescapeDouble(raw);
    return raw.replace(/`.|\$\(((?:[^()]|\([^()]*\))*)\)|\$\{([^}]+)\}|\$([\w:?]+)/gs, (m, sub: string | undefined, braced: string | undefined, plain: string | undefined) => {
      if (m.startsWith('`')) return unescapeDouble(m);
      if (sub !== undefined) return str(this.sub(sub), this.ofs);
      return str(variableValue(this, braced ?? plain!), this.ofs);
    });
  }

  /** Evaluates a nested script fragment in this evaluator (same variables), restoring the token stream. */
  sub(text: string): Value {
    if (this.depth > 50) return null;
    const [toks, p] = [this.toks, this.p];
    this.depth++;
    this.toks = lex(text);
    this.p = 0;
    const out = this.statements(this.toks.length);
    this.depth--;
    this.toks = toks;
    this.p = p;
    return out.length === 1 ? out[0] : out.length ? out : null;
  }
}

/** A variable's table key: lower case, scope prefix removed. */
export const varName = (v: string): string => v.toLowerCase().replace(/^(script|global|local|private|variable):/, '');

const truthy = (v: Value): boolean => (typeof v === 'string' ? v.length > 0 : isArr(v) ? v.length > 0 : !!num(v));

function parseNum(s: string): number {
  const m = /^(0x[0-9a-f]+|[\d.]+(?:e[+-]?\d+)?)(kb|mb|gb|l|d)?$/i.exec(s);
  if (!m) return NaN;
  const base = /^0x/i.test(m[1]) ? parseInt(m[1], 16) : Number(m[1]);
  const mult = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as 'kb'] ?? 1;
  return base * mult;
}

