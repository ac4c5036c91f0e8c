/** Parses the Sigma regex subset into an RNode tree; unsupported features raise RegexError. */
import { RegexError, type CharSet, type ClassItem, type RNode } from './ast.js';

interface Flags { i: boolean; m: boolean; s: boolean }

const ESC: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0, e: 27, a: 7 };
const REJECT_ESC = /[1-9kKpPXRQEGCNhHvVlLuUzg]/;

class Parser {
  i = 0;
  constructor(private readonly src: string, private flags: Flags) {}

  fail(msg: string): never { throw new RegexError(`${msg} at offset ${this.i} in /${this.src}/`); }
  peek(): string | undefined { return this.src[this.i]; }
  eat(c: string): boolean { if (this.src[this.i] === c) { this.i++; return true; } return false; }

  alternation(): RNode {
    const items = [this.concat()];
    while (this.eat('|')) items.push(this.concat());
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  concat(): RNode {
    const items: RNode[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      if (atom) items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0] : items.length === 0 ? { t: 'empty' } : { t: 'cat', items };
  }

  quantified(atom: RNode): RNode {
    for (;;) {
      const c = this.peek();
      let min: number, max: number;
      if (c === '*') { min = 0; max = -1; this.i++; } else if (c === '+') { min = 1; max = -1; this.i++; } else if (c === '?') { min = 0; max = 1; this.i++; } else if (c === '{') {
        const m = /^\{(\d*)(,(\d*))?\}/.exec(this.src.slice(this.i));
        if (!m || (m[1] === '' && m[2] === undefined) || (m[1] === '' && !m[3])) return atom; // a literal '{'
        min = m[1] === '' ? 0 : Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        if (max !== -1 && max < min) this.fail('bad repetition range');
        if (min > 1000 || max > 1000) this.fail('repetition count above 1000');
        this.i += m[0].length;
      } else return atom;
      if (this.eat('+')) this.fail('possessive quantifiers are not supported');
      this.eat('?'); // lazy: same yes/no answer
      atom = { t: 'rep', item: atom, min, max };
    }
  }

  group(): RNode | null {
    if (this.eat('?')) {
      if (this.eat(':')) return this.groupBody();
      const named = /^(P?<[A-Za-z_][A-Za-z0-9_]*>)/.exec(this.src.slice(this.i));
      if (named) { this.i += named[0].length; return this.groupBody(); }
      const fl = /^([imsx]*)(-[imsx]*)?([:)])/.exec(this.src.slice(this.i));
      if (!fl) this.fail('lookaround, atomic groups and backreferences are not supported');
      this.i += fl[0].length;
      const saved = { ...this.flags };
      for (const f of fl[1]) if (f !== 'x') this.flags[f as keyof Flags] = true; else this.fail('flag x is not supported');
      for (const f of (fl[2] ?? '').slice(1)) if (f !== 'x') this.flags[f as keyof Flags] = false;
      if (fl[3] === ')') return null; // (?i) applies to the rest of the enclosing group
      const body = this.groupBody();
      this.flags = saved;
      return body;
    }
    return this.groupBody();
  }

  groupBody(): RNode {
    const saved = { ...this.flags };
    const n = this.alternation();
    this.flags = saved;
    if (!this.eat(')')) this.fail('missing )');
    return n;
  }

  atom(): RNode | null {
    const c = this.src[this.i++];
    switch (c) {
      case '(': return this.group();
      case '[': return { t: 'set', set: this.charClass() };
      case '.': return { t: 'any', dotall: this.flags.s };
      case '^': return { t: 'assert', kind: this.flags.m ? 'bol' : 'bos' };
      case '$': return { t: 'assert', kind: this.flags.m ? 'eol' : 'eosnl' };
      case '\\': return this.escape();
      case '*': case '+': case '?': this.i--; return this.fail('nothing to repeat');
      default: return this.lit(c.charCodeAt(0));
    }
  }

  lit(code: number): RNode {
    return { t: 'set', set: { items: [{ lo: code, hi: code }], neg: false, icase: this.flags.i } };
  }

  escape(): RNode {
    const c = this.src[this.i++];
    if (c === undefined) this.fail('trailing backslash');
    if ('dwsDWS'.includes(c)) return { t: 'set', set: { items: [{ named: c as 'd' }], neg: false, icase: false } };
    if (c === 'b') return { t: 'assert', kind: 'wordb' };
    if (c === 'B') return { t: 'assert', kind: 'nwordb' };
    if (c === 'A') return { t: 'assert', kind: 'bos' };
    if (c === 'Z') return { t: 'assert', kind: 'eosnl' };
    if (c === 'z') return { t: 'assert', kind: 'eos' };
    return this.lit(this.escCode(c));
  }

  escCode(c: string): number {
    if (c in ESC) return ESC[c];
    if (c === 'x') {
      const m = /^(\{[0-9a-fA-F]{1,6}\}|[0-9a-fA-F]{2})/.exec(this.src.slice(this.i));
      if (!m) this.fail('bad \\x escape');
      this.i += m[0].length;
      return parseInt(m[0].replace(/[{}]/g, ''), 16);
    }
    if (/[A-Za-z0-9]/.test(c) && REJECT_ESC.test(c)) { this.i--; this.fail(`escape \\${c} is not supported`); }
    return c.charCodeAt(0);
  }

  charClass(): CharSet {
    const neg = this.eat('^');
    const items: ClassItem[] = [];
    let first = true;
    while (this.i < this.src.length && (first || this.peek() !== ']')) {
      first = false;
      const lo = this.classAtom();
      if (typeof lo !== 'number') { items.push(lo); continue; }
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi !== 'number' || hi < lo) this.fail('bad class range');
        items.push({ lo, hi });
      } else items.push({ lo, hi: lo });
    }
    if (!this.eat(']')) this.fail('missing ]');
    return { items, neg, icase: this.flags.i };
  }

  classAtom(): number | ClassItem {
    const c = this.src[this.i++];
    if (c === '[' && this.peek() === ':') this.fail('POSIX classes are not supported');
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.src[this.i++];
    if (e === undefined) this.fail('trailing backslash');
    if ('dwsDWS'.includes(e)) return { named: e as 'd' };
    if (e === 'b') return 8;
    return this.escCode(e);
  }
}

/** Parses `src` with flags (`i`, `m`, `s`); throws RegexError for syntax the engine does not support. */
export function parseRegex(src: string, flags: string): RNode {
  const p = new Parser(src, { i: flags.includes('i'), m: flags.includes('m'), s: flags.includes('s') });
  const n = p.alternation();
  if (p.i < src.length) p.fail('unbalanced )');
  return n;
}

export { RegexError };
export type { CharSet };
