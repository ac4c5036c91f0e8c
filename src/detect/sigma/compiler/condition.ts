/** Phase 3b: the condition grammar → Cond tree (or < and < not < `x of` < parentheses). */
import type { Cond } from '../types.js';
import { CompileError } from './errors.js';
import { stickyTokens } from './tokens.js';

const TOKEN = /\s*(\(|\)|\|[^]*|[A-Za-z0-9_*\-.]+)/y;

function tokenize(src: string): string[] {
  return stickyTokens(src, TOKEN, (u) => { throw new CompileError(`unexpected character '${u}' in condition`, ['detection', 'condition']); });
}

function globToRegExp(p: string): RegExp {
  return new RegExp(`^${p.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

class CondParser {
  i = 0;
  constructor(readonly toks: string[], readonly names: string[]) {}
  fail(msg: string): never { throw new CompileError(`condition: ${msg}`, ['detection', 'condition']); }
  peek(): string | undefined { return this.toks[this.i]; }
  kw(w: string): boolean { if (this.peek()?.toLowerCase() === w) { this.i++; return true; } return false; }

  or(): Cond {
    const items = [this.and()];
    while (this.kw('or')) items.push(this.and());
    return items.length === 1 ? items[0] : { t: 'or', items };
  }
  and(): Cond {
    const items = [this.not()];
    while (this.kw('and')) items.push(this.not());
    return items.length === 1 ? items[0] : { t: 'and', items };
  }
  not(): Cond {
    if (this.kw('not')) return { t: 'not', item: this.not() };
    return this.primary();
  }
  primary(): Cond {
    const tok = this.toks[this.i++];
    if (tok === undefined) this.fail('unexpected end');
    if (tok.startsWith('|')) this.fail('aggregation expressions (`| count()`, `near`) are obsolete: use a correlation rule');
    if (tok === '(') {
      const e = this.or();
      if (this.toks[this.i++] !== ')') this.fail('missing )');
      return e;
    }
    const low = tok.toLowerCase();
    if ((low === 'all' || low === 'any' || /^\d+$/.test(low)) && this.peek()?.toLowerCase() === 'of') {
      this.i++;
      return this.quantifier(low);
    }
    if (['and', 'or', 'not', ')', 'of'].includes(low)) this.fail(`unexpected '${tok}'`);
    if (!this.names.includes(tok)) this.fail(`unknown search identifier '${tok}'`);
    return { t: 'ref', name: tok };
  }
  quantifier(q: string): Cond {
    const target = this.toks[this.i++];
    if (target === undefined) this.fail(`'${q} of' needs a pattern or 'them'`);
    const matched = target === 'them' ? this.names.filter((n) => !n.startsWith('_')) : this.names.filter((n) => globToRegExp(target).test(n));
    if (matched.length === 0) this.fail(`'${target}' matches no search identifier`);
    const refs: Cond[] = matched.map((name) => ({ t: 'ref', name }));
    if (q === 'all') return refs.length === 1 ? refs[0] : { t: 'and', items: refs };
    if (q !== '1' && q !== 'any') this.fail(`'${q} of' is not supported (only '1 of' and 'all of')`);
    return refs.length === 1 ? refs[0] : { t: 'or', items: refs };
  }
}

/** Parses one condition string against the rule's search identifiers. */
export function parseCondition(src: string, names: string[]): Cond {
  const p = new CondParser(tokenize(src), names);
  const c = p.or();
  if (p.i < p.toks.length && p.toks[p.i].startsWith('|')) p.fail('aggregation expressions (`| count() by …`) are obsolete: use a correlation rule');
  if (p.i < p.toks.length) p.fail(`unexpected '${p.toks[p.i]}'`);
  return c;
}

/** A condition field: one string or a list (OR-linked). */
export function compileCondition(value: unknown, names: string[]): Cond {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((c) => typeof c === 'string')) throw new CompileError('condition must be a string or a list of strings', ['detection', 'condition']);
  const conds = list.map((c) => parseCondition(c, names));
  return conds.length === 1 ? conds[0] : { t: 'or', items: conds };
}
