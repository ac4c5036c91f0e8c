/**
 * Static evaluation of PowerShell's constant string expressions: a recursive-descent reader that
 * evaluates as it parses (literals, variables it assigned itself, operators, casts, a handful of
 * .NET members and cmdlets). Anything it does not understand evaluates to null; nothing is ever
 * executed. Strings handed to Invoke-Expression (and its disguises) are collected as payloads.
 * This file holds statements, pipelines and commands; expressions are in expr.ts.
 */
import { ExpressionEvaluator, isComparison, varName } from './expr.js';
import { runCommand } from './members.js';
import { lex } from './lex.js';
import { isArr, list, MAX_VALUE, str, type Value } from './values.js';

/** A string that reached Invoke-Expression (or an equivalent), with the techniques that built it. */
export interface Payload { text: string; techniques: string[]; at: number; end: number }

const IEX = /^(iex|invoke-expression)$/i;

export class Evaluator extends ExpressionEvaluator {
  readonly payloads: Payload[] = [];

  /** Evaluates a script; payloads and variables accumulate on the instance. */
  run(text: string): Value[] {
    this.toks = lex(text);
    this.p = 0;
    return this.statements(this.toks.length);
  }

  /** Statements up to token index `to`; returns what they output. */
  statements(to: number): Value[] {
    const out: Value[] = [];
    while (this.p < to && this.budget.step()) {
      const start = this.p;
      if (this.peek()?.kind === 'nl') { this.p++; continue; }
      const v = this.statement(to);
      if (v !== undefined && v !== null) out.push(v);
      if (this.p === start) this.p++;
      while (this.p < to && this.peek()?.kind !== 'nl' && !this.is('}') && !this.is(')')) this.p++;
    }
    return out;
  }

  statement(to: number): Value | undefined {
    const t = this.peek()!;
    if (t.kind === 'var' && (this.is('=', 1) || this.is('+=', 1))) {
      const plus = this.is('+=', 1);
      this.p += 2;
      const v = this.pipeline(to);
      const name = varName(t.v);
      const old = this.vars.get(name);
      this.vars.set(name, plus && old !== undefined ? this.add(old, v) : v);
      return undefined;
    }
    if (t.kind === 'word' && /^(function|filter|param|try|catch|finally|if|else|elseif|while|do|switch|foreach|for|trap|return|exit|throw|break|continue)$/i.test(t.v)) {
      if (/^(return|throw)$/i.test(t.v)) { this.p++; return this.pipeline(to); }
      return this.skipConstruct(to);
    }
    return this.pipeline(to);
  }

  /** Skips a control-flow construct (its blocks are not evaluated). */
  private skipConstruct(to: number): undefined {
    while (this.p < to && this.peek()?.kind !== 'nl') { if (this.is('{')) this.skipBlock(); else this.p++; }
    return undefined;
  }

  /** From an opening { : index just after the matching }. */
  skipBlock(): { from: number; to: number } {
    const from = this.p + 1;
    let d = 0;
    for (; this.p < this.toks.length; this.p++) {
      if (this.is('{')) d++;
      else if (this.is('}') && --d === 0) { this.p++; return { from, to: this.p - 1 }; }
    }
    return { from, to: this.p };
  }

  pipeline(to: number): Value {
    let v: Value = this.isCommandStart() ? this.command(undefined, to) : this.expr();
    while (this.eat('|')) {
      if (this.p >= to) break;
      v = this.command(v, to);
    }
    return v;
  }

  private isCommandStart(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.kind === 'word') return !/^\d/.test(t.v);
    return (t.v === '&' || t.v === '.') && t.kind === 'punct' && !!this.peek(1) && this.peek(1)!.kind !== 'word';
  }

  /** A command: name (word, or & / . with an expression), arguments in argument mode, optional piped input. */
  command(input: Value | undefined, to: number): Value {
    let name: string;
    const start = this.peek()?.at ?? 0;
    if (this.eat('&') || (this.is('.') && this.eat('.'))) {
      const nv = this.unary();
      if (nv !== null && typeof nv === 'object' && !Array.isArray(nv) && nv.t === 'block') return this.invokeBlock(nv, input);
      name = str(nv);
      if (!IEX.test(name.trim()) && name.length > 0 && /[^A-Za-z-]/.test(name) === false) this.tech.add('string-concat');
    } else {
      name = this.peek()!.v;
      this.p++;
    }
    const args = this.arguments(to);
    if (IEX.test(name.trim())) return this.invoke(input ?? args.positional[0] ?? null, start);
    if (/^(%|foreach-object|foreach)$/i.test(name) && input !== undefined) return this.forEach(input, args.blocks[0]);
    if (/^(\?|where-object|where)$/i.test(name)) return input ?? null;
    return runCommand(this, name.toLowerCase(), args, input);
  }

  arguments(to: number): { positional: Value[]; named: Map<string, Value>; blocks: { from: number; to: number }[] } {
    const positional: Value[] = [];
    const named = new Map<string, Value>();
    const blocks: { from: number; to: number }[] = [];
    while (this.p < to && this.budget.step()) {
      const t = this.peek()!;
      if (t.kind === 'nl' || this.is('|') || this.is(')') || this.is('}') || this.is('&&') || this.is('||')) break;
      if (this.is('{')) { blocks.push(this.skipBlock()); continue; }
      if (t.kind === 'op' && !isComparison(t.v)) {
        this.p++;
        const n = this.peek();
        const takes = n && n.kind !== 'op' && n.kind !== 'nl' && !this.is('|') && !this.is(')');
        named.set(t.v.slice(1).toLowerCase(), takes ? this.argValue() : true);
        continue;
      }
      positional.push(this.argValue());
    }
    return { positional, named, blocks };
  }

  private argValue(): Value {
    const t = this.peek()!;
    if (t.kind === 'word') {
      this.p++;
      if (this.is('(') && !this.peek()!.space) { this.p++; const a = this.commaList(')'); return [t.v, ...a]; }
      return t.v;
    }
    return this.comma();
  }


  invoke(payload: Value, at: number): Value {
    const text = str(payload, this.ofs);
    if (text.trim()) this.payloads.push({ text: text.slice(0, MAX_VALUE), techniques: [...this.tech], at, end: this.peek(-1)?.end ?? at });
    this.tech = new Set();
    return null;
  }

  private invokeBlock(b: { from: number; to: number }, input: Value | undefined): Value {
    const save = this.p;
    this.p = b.from;
    if (input !== undefined) this.vars.set('_', input);
    const out = this.statements(b.to);
    this.p = save;
    return out.length === 1 ? out[0] : out;
  }

  forEach(input: Value, block: { from: number; to: number } | undefined): Value {
    if (!block) return input;
    const out: Value[] = [];
    for (const item of list(input).slice(0, MAX_VALUE)) {
      if (!this.budget.step()) break;
      const r = this.invokeBlock(block, item);
      if (isArr(r)) out.push(...r); else if (r !== null) out.push(r);
    }
    return out;
  }

}
