/**
 * POSIX shell words and structure: '…', "…", $'…' (ANSI-C escapes), backslashes, $var / ${var}
 * (including ${IFS}), $( … ) and back-ticks, pipelines, && || ; & lists and ( … ) subshells.
 * Expansion is delegated to the caller (so a decoder can splice variables and substitute
 * commands it understands); quotes are removed, field splitting happens on unquoted expansions.
 * One left-to-right pass; the caller bounds the input.
 */

/** One simple command of a script: the operator before it, its words, its text as written. */
export interface PosixCommand { op: string | null; words: string[]; raw: string; depth: number; subs: string[]; ansiC: number; ifs: number }

/** Expansion hooks: a variable's value (undefined: leave `$name` as written) and a command substitution's output. */
export interface Expander {
  variable?(name: string): string | undefined;
  substitute?(script: string): string | null;
  /** sees each command as soon as it is read, so assignments take effect for the next one */
  command?(c: PosixCommand): void;
}

const ANSI: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Decodes the body of $'…' (\xHH, \NNN octal, \uHHHH, \cX, named escapes). */
export function ansiC(body: string): { text: string; escapes: number } {
  let text = '';
  let escapes = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') { text += body[i]; continue; }
    const m = /^(?:x([0-9a-fA-F]{1,2})|([0-7]{1,3})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|c(.)|(.))/s.exec(body.slice(i + 1, i + 11));
    if (!m) continue;
    const hex = m[1] ?? m[3] ?? m[4];
    if (hex || m[2]) { const cp = parseInt(hex ?? m[2], hex ? 16 : 8); text += cp <= 0x10ffff ? String.fromCodePoint(cp) : ''; escapes++; }
    else if (m[5]) text += String.fromCharCode(m[5].charCodeAt(0) & 31);
    else text += ANSI[m[6]] ?? `\\${m[6]}`;
    i += m[0].length;
  }
  return { text, escapes };
}

const BREAK = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '<', '>']);

class Reader {
  i = 0;
  subs: string[] = [];
  ansiC = 0;
  ifs = 0;
  constructor(readonly s: string, readonly x: Expander) {}

  /** One word: returns its fields (unquoted expansions split on whitespace). */
  word(): string[] {
    const fields: string[] = [''];
    const add = (t: string, split: boolean): void => {
      if (!split) { fields[fields.length - 1] += t; return; }
      const parts = t.split(/[ \t\n]+/);
      fields[fields.length - 1] += parts[0];
      for (const p of parts.slice(1)) fields.push(p);
    };
    const s = this.s;
    while (this.i < s.length && !BREAK.has(s[this.i])) {
      const c = s[this.i];
      if (c === '\\') { if (s[this.i + 1] !== '\n') add(s[this.i + 1] ?? '', false); this.i += 2; continue; }
      if (c === "'") { const e = s.indexOf("'", this.i + 1); const end = e < 0 ? s.length : e; add(s.slice(this.i + 1, end), false); this.i = end + 1; continue; }
      if (c === '$' && s[this.i + 1] === "'") { const e = this.ansiEnd(this.i + 2); const r = ansiC(s.slice(this.i + 2, e)); this.ansiC += r.escapes; add(r.text, false); this.i = e + 1; continue; }
      if (c === '"') { add(this.double(), false); continue; }
      if (c === '$' || c === '`') { const d = this.dollar(); add(d.text, d.expanded); continue; }
      add(c, false); this.i++;
    }
    return fields.filter((f, k) => f !== '' || k === 0);
  }

  private ansiEnd(i: number): number {
    for (; i < this.s.length; i++) { if (this.s[i] === '\\') i++; else if (this.s[i] === "'") return i; }
    return this.s.length;
  }

  private double(): string {
    const s = this.s;
    let out = '';
    this.i++;
    while (this.i < s.length && s[this.i] !== '"') {
      const c = s[this.i];
      if (c === '\\' && '$`"\\\n'.includes(s[this.i + 1] ?? '')) { out += s[this.i + 1] === '\n' ? '' : s[this.i + 1]; this.i += 2; continue; }
      if (c === '$' || c === '`') { out += this.dollar().text; continue; }
      out += c; this.i++;
    }
    this.i++;
    return out;
  }

  /** $name, ${name}, $(…), `…` at i: the expansion (field-split when unquoted), or the text as written. */
  private dollar(): { text: string; expanded: boolean } {
    const s = this.s;
    const from = this.i;
    const raw = (): { text: string; expanded: boolean } => ({ text: s.slice(from, this.i), expanded: false });
    if (s[from] === '`' || s.startsWith('$(', from)) {
      const tick = s[from] === '`';
      const end = tick ? this.tickEnd(from + 1) : this.parenEnd(from + 2);
      const inner = s.slice(from + (tick ? 1 : 2), end);
      this.i = Math.min(s.length, end + 1);
      if (s.startsWith('$((', from)) return raw();
      this.subs.push(inner);
      const out = this.x.substitute?.(inner);
      return out == null ? raw() : { text: out, expanded: true };
    }
    const m = /^\$(?:\{([^}]{1,100})\}|([A-Za-z_]\w{0,100}|[0-9@*#?$!-]))/.exec(s.slice(from, from + 110));
    if (!m) { this.i++; return { text: '$', expanded: false }; }
    this.i = from + m[0].length;
    const name = m[1] ?? m[2];
    if (name === 'IFS' || /^IFS(:-.*)?$/.test(name)) { this.ifs++; return { text: ' ', expanded: true }; }
    if (/^[0-9]$/.test(name) && m[1] === undefined) return { text: '', expanded: true };
    const v = this.x.variable?.(name);
    return v === undefined ? raw() : { text: v, expanded: true };
  }

  private parenEnd(i: number): number {
    let depth = 1;
    for (; i < this.s.length; i++) {
      const c = this.s[i];
      if (c === '\\') { i++; continue; }
      if (c === "'") { const e = this.s.indexOf("'", i + 1); i = e < 0 ? this.s.length : e; continue; }
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i;
    }
    return this.s.length;
  }

  private tickEnd(i: number): number {
    for (; i < this.s.length; i++) { if (this.s[i] === '\\') i++; else if (this.s[i] === '`') return i; }
    return this.s.length;
  }
}

const OPS = ['&&', '||', ';;', '|&', '|', ';', '&', '\n'];

/** Splits a POSIX script into commands (pipelines and lists flattened, subshell depth kept). */
export function posixCommands(script: string, x: Expander = {}): PosixCommand[] {
  const r = new Reader(script, x);
  const out: PosixCommand[] = [];
  let words: string[] = [];
  let op: string | null = null;
  let depth = 0;
  let start = 0;
  const flush = (next: string | null): void => {
    if (words.length) { out.push({ op, words, raw: script.slice(start, r.i).trim(), depth, subs: r.subs, ansiC: r.ansiC, ifs: r.ifs }); x.command?.(out[out.length - 1]); }
    words = []; r.subs = []; r.ansiC = 0; r.ifs = 0; op = next; start = r.i;
  };
  while (r.i < script.length && out.length < 10_000) {
    const c = script[r.i];
    if (c === ' ' || c === '\t' || c === '\r') { r.i++; continue; }
    if (c === '#' && (r.i === 0 || /\s/.test(script[r.i - 1]))) { while (r.i < script.length && script[r.i] !== '\n') r.i++; continue; }
    const o = OPS.find((x2) => script.startsWith(x2, r.i));
    if (o && !(o === '&' && (script[r.i - 1] === '>' || script[r.i + 1] === '>'))) { flush(o === '\n' ? ';' : o); r.i += o.length; start = r.i; continue; }
    if (c === '(' || c === ')') { flush(op); depth += c === '(' ? 1 : -1; r.i++; start = r.i; continue; }
    if (c === '<' || c === '>') { const m = /^(?:<<<|<<-?|>>|>&|<&|>\||<>|<|>)/.exec(script.slice(r.i))!; words.push(m[0]); r.i += m[0].length; continue; }
    const before = r.i;
    words.push(...r.word());
    if (r.i === before) r.i++;
  }
  flush(null);
  return out;
}
