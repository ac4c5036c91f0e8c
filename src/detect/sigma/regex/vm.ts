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

/** Most cached DFA states per regex; past it an input finishes on the Pike VM (still linear). */
const DFA_MAX_STATES = 512;
/** Code units with cached transitions (others are computed each time: rare in logs). */
const DFA_WIDTH = 128;

/**
 * A compiled regex: `test(s)` answers whether it matches anywhere in `s`.
 *
 * Programs without assertions run on a lazy DFA built over the VM: a DFA state is the set of VM
 * threads (after following jumps and splits) at one position, and each transition is computed by one
 * VM step the first time it is taken, then read from a table. Every state includes the program start
 * (unanchored search), so no state is dead; a state holding MATCH ends the test. The cache is bounded;
 * an input that needs more states finishes on the VM. Both are O(program × input).
 */
export class LinearRegex {
  private readonly p: Program;
  private readonly len: number;
  private clist: Int32Array;
  private nlist: Int32Array;
  private readonly mark: Int32Array;
  private readonly stack: Int32Array;
  private gen = 1;
  private steps = 0;
  /** lazy DFA (null when the program has assertions): states as thread lists, transitions, match flags */
  private readonly dfa: boolean;
  private dStates: Int32Array[] = [];
  private dIds = new Map<string, number>();
  private dTrans = new Int32Array(0);
  private dMatch = new Uint8Array(0);
  /** the single unit that starts every match, and the units that can start one (see computeStart; undefined until computed) */
  private start: string | null | undefined = undefined;
  private startSet: Uint8Array | null = null;

  constructor(readonly source: string, readonly flags: string, private readonly budget = 5_000_000) {
    const c = new Compiler();
    c.node(parseRegex(source, flags));
    c.emit(MATCH);
    this.p = c.p;
    this.len = c.p.op.length;
    this.clist = new Int32Array(this.len);
    this.nlist = new Int32Array(this.len);
    this.mark = new Int32Array(this.len);
    this.stack = new Int32Array(2 * this.len + 2);
    this.dfa = !c.p.op.includes(ASSERT);
  }

  private add(list: Int32Array, n: number, pc: number, s: string, i: number): number {
    const { op, x, y } = this.p;
    const stack = this.stack, mark = this.mark, gen = this.gen;
    let sp = 0;
    stack[sp++] = pc;
    while (sp > 0) {
      const q = stack[--sp];
      if (mark[q] === gen) continue;
      mark[q] = gen;
      this.steps++;
      const o = op[q];
      if (o === JMP) stack[sp++] = x[q];
      else if (o === SPLIT) { stack[sp++] = y[q]; stack[sp++] = x[q]; } else if (o === ASSERT) { if (assertOk(this.p.asserts[x[q]], s, i)) stack[sp++] = q + 1; } else list[n++] = q;
    }
    return n;
  }

  /** The DFA state for the thread list `list[0..n)` (created when new; -1 when the cache is full). */
  private dState(list: Int32Array, n: number): number {
    const threads = list.slice(0, n).sort();
    const key = threads.join(',');
    let id = this.dIds.get(key);
    if (id !== undefined) return id;
    id = this.dStates.length;
    if (id >= DFA_MAX_STATES) return -1;
    this.dStates.push(threads);
    this.dIds.set(key, id);
    if ((id + 1) * DFA_WIDTH > this.dTrans.length) {
      const t = new Int32Array(Math.max(8, (id + 1) * 2) * DFA_WIDTH).fill(-1);
      t.set(this.dTrans);
      this.dTrans = t;
      const m = new Uint8Array(t.length / DFA_WIDTH);
      m.set(this.dMatch);
      this.dMatch = m;
    }
    const op = this.p.op;
    for (const pc of threads) if (op[pc] === MATCH) this.dMatch[id] = 1;
    return id;
  }

  /** The DFA state after unit `c` from state `d` (one VM step over its threads, plus a new thread at the start). */
  private dNext(d: number, c: number): number {
    const { op, x, sets } = this.p;
    const threads = this.dStates[d], list = this.nlist;
    this.gen++;
    let n = 0;
    for (let k = 0; k < threads.length; k++) {
      const pc = threads[k], o = op[pc];
      this.steps++;
      const ok = o === CHAR ? setMatch(sets[x[pc]], c) : o === ANY ? true : o === ANYNL ? c !== 10 : false;
      if (ok) n = this.add(list, n, pc + 1, '', 0);
    }
    n = this.add(list, n, 0, '', 0);
    return this.dState(list, n);
  }

  /**
   * What can take the DFA out of its start state: per ASCII unit a flag (`startSet`; null when any unit
   * can, a dot), and the one unit when there is exactly one and no other unit, non-ASCII included, can
   * (`start`: the search may then jump to its next occurrence).
   */
  private computeStart(): void {
    const { op, x, sets } = this.p;
    const t = new Uint8Array(128);
    let asciiOnly = true;
    this.start = null;
    this.startSet = null;
    for (const pc of this.dStates[0]) {
      const o = op[pc];
      if (o === MATCH) continue;
      if (o !== CHAR) return;
      const set = sets[x[pc]];
      for (let c = 0; c < 128; c++) if (setMatch(set, c)) t[c] = 1;
      // case-insensitive letters also match non-ASCII units (Kelvin sign, long s, dotted I)
      if (set.neg || set.items.some((it) => 'named' in it || it.hi >= 128 || (set.icase && it.hi >= 65 && it.lo <= 122))) asciiOnly = false;
    }
    this.startSet = t;
    const units = t.reduce((n, v) => n + v, 0);
    if (asciiOnly && units === 1) this.start = String.fromCharCode(t.indexOf(1));
  }

  /** Number of DFA states cached so far (tests). */
  get dfaStates(): number { return this.dStates.length; }

  /** True when the regex matches somewhere in `s`; throws BudgetExceeded past the step budget. */
  test(s: string): boolean {
    this.steps = 0;
    if (!this.dfa) return this.vm(s);
    if (this.dStates.length === 0) { this.gen++; this.dState(this.clist, this.add(this.clist, 0, 0, '', 0)); }
    let d = 0;
    // the tables are locals (they only change when a new state is added)
    let trans = this.dTrans, match = this.dMatch;
    if (match[d]) return true;
    if (this.start === undefined) this.computeStart();
    const start = this.start ?? null, startSet = this.startSet;
    for (let i = 0; i < s.length; i++) {
      if (d === 0) {
        // in the start state only some units begin a match: one unit is found with a native search;
        // otherwise ASCII units that begin none are passed over (they leave the state as it is)
        if (start !== null) { i = s.indexOf(start, i); if (i < 0) return false; } else if (startSet !== null) {
          let c = s.charCodeAt(i);
          while (c < 128 && startSet[c] === 0) { if (++i === s.length) return false; c = s.charCodeAt(i); }
        }
      }
      const c = s.charCodeAt(i);
      let nd = c < DFA_WIDTH ? trans[d * DFA_WIDTH + c] : -1;
      if (nd < 0) {
        if (this.steps > this.budget) throw new BudgetExceeded(`regex /${this.source}/ exceeded ${this.budget} steps`);
        nd = this.dNext(d, c);
        if (nd < 0) return this.vm(s);
        trans = this.dTrans;
        match = this.dMatch;
        if (c < DFA_WIDTH) trans[d * DFA_WIDTH + c] = nd;
      }
      d = nd;
      if (match[d]) return true;
    }
    return false;
  }

  /** The Pike VM alone (programs with assertions, inputs that overflow the DFA cache; tests compare both). */
  vm(s: string): boolean {
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
