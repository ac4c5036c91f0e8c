/**
 * cmd.exe's phase 2: a line (already %-expanded) becomes a tree of commands. Carets escape the
 * next character outside double quotes; `&`, `&&`, `||`, `|` chain; `( … )` groups where a command
 * is expected; FOR and IF take the rest of the line as their body (as cmd does); redirections
 * are split off each simple command. One left-to-right pass, no backtracking.
 */

export type CmdNode =
  | { kind: 'simple'; text: string; display: string; redirs: string[] }
  | { kind: 'block'; body: Seq; redirs: string[] }
  | { kind: 'pipe'; left: CmdNode; right: CmdNode }
  | { kind: 'for'; switches: string[]; options: string; variable: string; set: string; body: Seq }
  | { kind: 'if'; words: string[]; body: Seq };

export type Seq = { op: string | null; node: CmdNode }[];

/** What parsing noticed: carets removed outside quotes (a technique worth naming). */
export interface ParseStats { carets: number }

const DELIM = new Set([' ', '\t', ',', ';', '=', '\x0b', '\x0c', '\r']);
const isDelim = (c: string | undefined): boolean => c !== undefined && DELIM.has(c);

class Parser {
  i = 0;
  constructor(readonly s: string, readonly stats: ParseStats) {}

  skipDelims(): void {
    while (this.i < this.s.length && (isDelim(this.s[this.i]) || this.s[this.i] === '@')) this.i++;
  }

  skipBlanks(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  seq(inBlock: boolean): Seq {
    const out: Seq = [];
    let op: string | null = null;
    while (this.i < this.s.length) {
      this.skipDelims();
      const c = this.s[this.i];
      if (c === undefined || (c === ')' && inBlock)) break;
      if (c === '\n') { this.i++; op = '&'; continue; }
      const node = this.pipeline(inBlock);
      if (node) out.push({ op, node });
      if (node && (node.kind === 'for' || node.kind === 'if')) break;
      this.skipBlanks();
      const next = this.operator();
      if (next === null) { if (this.s[this.i] === ')' && inBlock) break; if (this.i < this.s.length) this.i++; }
      op = next ?? '&';
    }
    return out;
  }

  operator(): string | null {
    const two = this.s.slice(this.i, this.i + 2);
    if (two === '&&' || two === '||') { this.i += 2; return two; }
    if (this.s[this.i] === '&' || this.s[this.i] === '\n') { this.i++; return '&'; }
    return null;
  }

  pipeline(inBlock: boolean): CmdNode | null {
    let node = this.command(inBlock);
    while (node && this.s[this.i] === '|' && this.s[this.i + 1] !== '|' && node.kind !== 'for' && node.kind !== 'if') {
      this.i++;
      const right = this.command(inBlock);
      if (!right) break;
      node = { kind: 'pipe', left: node, right };
    }
    return node;
  }

  command(inBlock: boolean): CmdNode | null {
    this.skipDelims();
    if (this.s[this.i] === '(') {
      this.i++;
      const body = this.seq(true);
      if (this.s[this.i] === ')') this.i++;
      const tail = this.simpleText(inBlock);
      return { kind: 'block', body, redirs: tail.redirs };
    }
    const start = this.i;
    const word = this.word().toLowerCase();
    if (word === 'for') return this.forCmd(inBlock);
    if (word === 'if') return this.ifCmd(inBlock);
    this.i = start;
    if (word === 'rem') { while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++; return null; }
    const t = this.simpleText(inBlock);
    return t.text || t.redirs.length ? { kind: 'simple', ...t } : null;
  }

  /** A caret-processed word ending at a delimiter or special character (quotes kept). */
  word(stopAtEq = true): string {
    let out = '';
    let q = false;
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (c === '"') { q = !q; out += c; continue; }
      if (!q && c === '^') { this.stats.carets++; this.i++; out += this.s[this.i] ?? ''; continue; }
      if (!q && (isDelim(c) || '&|<>()\n/'.includes(c)) && !(c === '=' && !stopAtEq)) {
        if (c === '/' && out === '') { out += c; continue; }
        break;
      }
      out += c;
    }
    return out;
  }

  /** The rest of a simple command, carets processed, redirections split off. */
  simpleText(inBlock: boolean): { text: string; display: string; redirs: string[] } {
    let text = '';
    let display = '';
    const redirs: string[] = [];
    let q = false;
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (c === '"') q = !q;
      else if (!q && c === '^') { this.stats.carets++; this.i++; const n = this.s[this.i] ?? ''; text += n; display += n === '\n' ? '' : n; continue; }
      else if (!q && (c === '&' || c === '|' || c === '\n' || (c === ')' && inBlock))) break;
      else if (!q && (c === '>' || c === '<')) { const r = this.redirection(text); text = r.before; redirs.push(r.redir); display += r.shown; continue; }
      text += c;
      display += c;
    }
    return { text, display: display.trim(), redirs };
  }

  /** `[n]>[>][&m]|target` starting at i (left on its last character). */
  redirection(before: string): { before: string; redir: string; shown: string } {
    let handle = '';
    const m = /(^|[\s,;=])(\d)$/.exec(before);
    if (m) { handle = m[2]; before = before.slice(0, -1); }
    let op = this.s[this.i];
    if (this.s[this.i + 1] === op) { op += op; this.i++; }
    if (this.s[this.i + 1] === '&') { this.i += 2; op += '&' + (this.s[this.i] ?? ''); return { before, redir: handle + op, shown: handle + op }; }
    this.i++;
    this.skipBlanks();
    const target = this.word(false);
    this.i--;
    return { before, redir: `${handle}${op}${target}`, shown: `${handle}${op} ${target}` };
  }

  forCmd(inBlock: boolean): CmdNode | null {
    const switches: string[] = [];
    let options = '';
    let variable = '';
    while (this.i < this.s.length && !variable) {
      this.skipDelims();
      const w = this.word();
      if (!w && !'/'.includes(this.s[this.i] ?? '')) return null;
      if (w.startsWith('%')) variable = w.slice(1).replace(/^%/, '');
      else if (w.startsWith('"')) options = w.slice(1, w.endsWith('"') ? -1 : undefined);
      else if (w.startsWith('/')) switches.push(w.toLowerCase());
    }
    this.skipDelims();
    if (this.word().toLowerCase() !== 'in') return null;
    this.skipDelims();
    if (this.s[this.i] !== '(') return null;
    this.i++;
    const set = this.until(')');
    this.i++;
    this.skipDelims();
    if (this.word().toLowerCase() !== 'do') return null;
    return { kind: 'for', switches, options, variable, set, body: this.seq(inBlock) };
  }

  /** Text up to an unquoted, unescaped stop character (carets processed). */
  until(stop: string): string {
    let out = '';
    let q = false;
    for (; this.i < this.s.length && (q || this.s[this.i] !== stop); this.i++) {
      const c = this.s[this.i];
      if (c === '"') q = !q;
      if (!q && c === '^') { this.stats.carets++; this.i++; out += this.s[this.i] ?? ''; continue; }
      out += c;
    }
    return out;
  }

  ifCmd(inBlock: boolean): CmdNode | null {
    const words: string[] = [];
    for (let k = 0; k < 6 && this.i < this.s.length; k++) {
      this.skipBlanksAndCommas();
      const eq = /^\^?=\^?=/.exec(this.s.slice(this.i, this.i + 4));
      if (eq) { this.i += eq[0].length; this.stats.carets += eq[0].length - 2; words.push('=='); continue; }
      const w = this.word();
      if (!w) return null;
      words.push(w);
      const lw = w.toLowerCase();
      if (lw === '/i' || lw === 'not') continue;
      const need = words.filter((x) => !/^(\/i|not)$/i.test(x)).length;
      if ((need === 2 && /^(defined|exist|errorlevel|cmdextversion)$/i.test(words[words.length - 2])) || need === 3) break;
    }
    return { kind: 'if', words, body: this.seq(inBlock) };
  }

  skipBlanksAndCommas(): void {
    while (this.i < this.s.length && (isDelim(this.s[this.i]) && this.s[this.i] !== '=')) this.i++;
  }
}

/** Parses a %-expanded cmd line into its command tree. */
export function parseCmd(line: string, stats: ParseStats = { carets: 0 }): Seq {
  return new Parser(line, stats).seq(false);
}

/**
 * A node back as text, as cmd rebuilds each side of a pipe for the new cmd.exe that runs it
 * (which parses it again: the reason pipes need doubled escapes).
 */
export function serialize(node: CmdNode): string {
  switch (node.kind) {
    case 'simple': return [node.text, ...node.redirs].join(' ');
    case 'block': return `( ${serializeSeq(node.body)} )${node.redirs.length ? ' ' + node.redirs.join(' ') : ''}`;
    case 'pipe': return `${serialize(node.left)} | ${serialize(node.right)}`;
    case 'for': return `for ${node.switches.join(' ')} ${node.options ? `"${node.options}" ` : ''}%${node.variable} in (${node.set}) do ${serializeSeq(node.body)}`;
    case 'if': return `if ${node.words.join(' ')} ${serializeSeq(node.body)}`;
  }
}

function serializeSeq(seq: Seq): string {
  return seq.map(({ op, node }) => (op ? `${op} ` : '') + serialize(node)).join(' ');
}
