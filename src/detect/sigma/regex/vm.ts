/**
 * A Pike VM: runs a regex over a string in O(program × input) time with no backtracking, so no rule
 * value can make matching explode. A step budget bounds the work on very large inputs.
 */
import { isWord, setMatch, type Assertion, type CharSet, type RNode } from './ast.js';
import { parseRegex, RegexError } from './parser.js';

const CHAR = 0, ANY = 1, ANYNL = 2, SPLIT = 3, JMP = 4, ASSERT = 5, MATCH = 6;
const MAX_PROGRAM = 20000;

interface Program { op: number[]; x: number[]; y: number[]; sets: CharSet[]; asserts: Assertion[] }

/** Thrown when matching exceeds its step budget. */
export class BudgetExceeded extends Error {}

class Compiler {
  p: Program = { op: [], x: [], y: [], sets: [], asserts: [] };
  emit(op: number, x = 0, y = 0): number {
    if (this.p.op.length >= MAX_PROGRAM) throw new RegexError('regex too large after expanding repetitions');
    this.p.op.push(op); this.p.x.push(x); this.p.y.push(y);
    return this.p.op.length - 1;
  }
  node(n: RNode): void {
    switch (n.t) {
      case 'set': this.p.sets.push(n.set); this.emit(CHAR, this.p.sets.length - 1); break;
      case 'any': this.emit(n.dotall ? ANY : ANYNL); break;
      case 'cat': for (const it of n.items) this.node(it); break;
      case 'alt': this.alt(n.items); break;
      case 'rep': this.rep(n.item, n.min, n.max); break;
      case 'assert': this.p.asserts.push(n.kind); this.emit(ASSERT, this.p.asserts.length - 1); break;
      case 'empty': break;
    }
  }
  alt(items: RNode[]): void {
    const jumps: number[] = [];
    for (let k = 0; k < items.length - 1; k++) {
      const split = this.emit(SPLIT);
      this.p.x[split] = split + 1;
      this.node(items[k]);
      jumps.push(this.emit(JMP));
      this.p.y[split] = this.p.op.length;
    }
    this.node(items[items.length - 1]);
    for (const j of jumps) this.p.x[j] = this.p.op.length;
  }
  rep(item: RNode, min: number, max: number): void {
    for (let k = 0; k < min; k++) this.node(item);
    if (max === -1) {
      const split = this.emit(SPLIT);
      this.p.x[split] = split + 1;
      this.node(item);
      this.emit(JMP, split);
      this.p.y[split] = this.p.op.length;
      return;
    }
    const splits: number[] = [];
    for (let k = min; k < max; k++) {
      const split = this.emit(SPLIT);
      this.p.x[split] = split + 1;
      splits.push(split);
      this.node(item);
    }
    for (const s of splits) this.p.y[s] = this.p.op.length;
  }
}

function assertOk(kind: Assertion, s: string, i: number): boolean {
  const prev = i > 0 ? s.charCodeAt(i - 1) : -1, next = i < s.length ? s.charCodeAt(i) : -1;
  switch (kind) {
    case 'bos': return i === 0;
    case 'eos': return i === s.length;
    case 'eosnl': return i === s.length || (i === s.length - 1 && next === 10);
    case 'bol': return i === 0 || prev === 10;
    case 'eol': return i === s.length || next === 10;
    case 'wordb': return (prev >= 0 && isWord(prev)) !== (next >= 0 && isWord(next));
    case 'nwordb': return (prev >= 0 && isWord(prev)) === (next >= 0 && isWord(next));
  }
}

/** A compiled regex: `test(s)` answers whether it matches anywhere in `s`. */
export class LinearRegex {
  private readonly p: Program;
  private readonly len: number;
  private clist: Int32Array;
  private nlist: Int32Array;
  private readonly mark: Int32Array;
  private gen = 1;
  private steps = 0;
  /** the first code unit that must start a match, or -1 (speeds up the scan) */
  constructor(readonly source: string, readonly flags: string, private readonly budget = 5_000_000) {
    const c = new Compiler();
    c.node(parseRegex(source, flags));
    c.emit(MATCH);
    this.p = c.p;
    this.len = c.p.op.length;
    this.clist = new Int32Array(this.len);
    this.nlist = new Int32Array(this.len);
    this.mark = new Int32Array(this.len);
  }

  private add(list: Int32Array, n: number, pc: number, s: string, i: number): number {
    const { op, x, y } = this.p;
    const stack = [pc];
    while (stack.length) {
      const q = stack.pop() as number;
      if (this.mark[q] === this.gen) continue;
      this.mark[q] = this.gen;
      this.steps++;
      const o = op[q];
      if (o === JMP) stack.push(x[q]);
      else if (o === SPLIT) { stack.push(y[q]); stack.push(x[q]); } else if (o === ASSERT) { if (assertOk(this.p.asserts[x[q]], s, i)) stack.push(q + 1); } else list[n++] = q;
    }
    return n;
  }

  /** True when the regex matches somewhere in `s`; throws BudgetExceeded past the step budget. */
  test(s: string): boolean {
    this.steps = 0;
    const { op, x, sets } = this.p;
    let clist = this.clist, nlist = this.nlist;
    this.gen++;
    let cn = this.add(clist, 0, 0, s, 0);
    for (let i = 0; ; i++) {
      for (let k = 0; k < cn; k++) if (op[clist[k]] === MATCH) return true;
      if (i >= s.length) return false;
      if (this.steps > this.budget) throw new BudgetExceeded(`regex /${this.source}/ exceeded ${this.budget} steps`);
      const c = s.charCodeAt(i);
      this.gen++;
      let nn = 0;
      for (let k = 0; k < cn; k++) {
        const pc = clist[k], o = op[pc];
        this.steps++;
        const ok = o === CHAR ? setMatch(sets[x[pc]], c) : o === ANY ? true : o === ANYNL ? c !== 10 : false;
        if (ok) nn = this.add(nlist, nn, pc + 1, s, i + 1);
      }
      nn = this.add(nlist, nn, 0, s, i + 1); // unanchored: a new thread at every position
      const t = clist; clist = nlist; nlist = t; cn = nn;
    }
  }
}
