/**
 * POSIX shell reading: word splitting with '…', "…", $'…' and backslash escapes, and splitting a
 * script into its chained commands (&&, ||, ;, &, |, newlines, ( ) groups) without being fooled by
 * operators inside quotes, escapes, $( … ) or back-ticks. Redirections such as 2>&1 and &> are
 * not chain operators. One linear pass; input bounded by the caller.
 */
import type { Segment } from './segment.js';

const WS = new Set([' ', '\t', '\r']);
const ANSI: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' };

interface State { s: string; i: number; subs: string[]; ansi: number }

/** Splits a POSIX shell script into chained commands. */
export function posixSegments(script: string): Segment[] {
  const st: State = { s: script, i: 0, subs: [], ansi: 0 };
  const segs: Segment[] = [];
  let words: string[] = [];
  let op: string | null = null;
  let start = 0;
  const flush = (nextOp: string | null, end: number): void => {
    if (words.length || st.subs.length) segs.push({ words, op, raw: script.slice(start, end).trim(), subs: st.subs, ansiEscapes: st.ansi });
    words = []; st.subs = []; st.ansi = 0; op = nextOp; start = st.i;
  };
  while (st.i < script.length) {
    const c = script[st.i];
    if (WS.has(c)) { st.i++; continue; }
    if (c === '#') { while (st.i < script.length && script[st.i] !== '\n') st.i++; continue; }
    const o = chainOp(script, st.i);
    if (o) { const end = st.i; st.i += o.length; flush(o === '\n' ? ';' : o, end); continue; }
    words.push(readWord(st));
  }
  flush(null, script.length);
  return segs.filter((g) => g.words.length > 0 || g.subs.length > 0);
}

/** Chain operator at i, or null. `>&`, `<&`, `&>` and `|&`'s redirection halves are handled here too. */
function chainOp(s: string, i: number): string | null {
  const c = s[i];
  const n = s[i + 1];
  if (c === '\n' || c === ';' || c === '(' || c === ')') return c === ';' && n === ';' ? ';;' : c;
  if (c === '&') {
    if (n === '&') return '&&';
    if (n === '>') return null; // &> file
    if (i > 0 && (s[i - 1] === '>' || s[i - 1] === '<')) return null;
    return '&';
  }
  if (c === '|') return n === '|' ? '||' : n === '&' ? '|&' : '|';
  return null;
}

const isBreak = (c: string): boolean => WS.has(c) || c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')';

/** Reads one word, removing quotes and escapes; records $( … ) and `…` contents in st.subs. */
function readWord(st: State): string {
  const s = st.s;
  let w = '';
  while (st.i < s.length) {
    const c = s[st.i];
    if (c === '&' && (s[st.i - 1] === '>' || s[st.i - 1] === '<' || s[st.i + 1] === '>')) { w += c; st.i++; continue; }
    if (isBreak(c)) break;
    if (c === '\\') { if (s[st.i + 1] !== '\n') w += s[st.i + 1] ?? ''; st.i += 2; continue; }
    if (c === "'") { const e = s.indexOf("'", st.i + 1); const end = e < 0 ? s.length : e; w += s.slice(st.i + 1, end); st.i = end + 1; continue; }
    if (c === '$' && s[st.i + 1] === "'") { w += readAnsi(st); continue; }
    if (c === '"') { w += readDouble(st); continue; }
    if (c === '$' && s[st.i + 1] === '(') { w += readSub(st, 2, '(', ')'); continue; }
    if (c === '`') { w += readTick(st); continue; }
    w += c; st.i++;
  }
  return w;
}

/** $'…' with ANSI-C escapes decoded (\xHH, \NNN octal, \uHHHH); counts escapes for obfuscation scoring. */
function readAnsi(st: State): string {
  const s = st.s;
  let out = '';
  st.i += 2;
  while (st.i < s.length && s[st.i] !== "'") {
    if (s[st.i] !== '\\') { out += s[st.i++]; continue; }
    const m = /^(?:x([0-9a-fA-F]{1,2})|([0-7]{1,3})|u([0-9a-fA-F]{1,4})|(.))/s.exec(s.slice(st.i + 1, st.i + 6));
    if (!m) { st.i++; continue; }
    const code = m[1] ? parseInt(m[1], 16) : m[2] ? parseInt(m[2], 8) : m[3] ? parseInt(m[3], 16) : -1;
    if (code >= 0) { out += String.fromCharCode(code); st.ansi++; } else out += ANSI[m[4]] ?? m[4];
    st.i += 1 + m[0].length;
  }
  st.i++;
  return out;
}

function readDouble(st: State): string {
  const s = st.s;
  let out = '';
  st.i++;
  while (st.i < s.length && s[st.i] !== '"') {
    const c = s[st.i];
    if (c === '\\' && '$`"\\\n'.includes(s[st.i + 1] ?? '')) { out += s[st.i + 1]; st.i += 2; continue; }
    if (c === '$' && s[st.i + 1] === '(') { out += readSub(st, 2, '(', ')'); continue; }
    if (c === '`') { out += readTick(st); continue; }
    out += c; st.i++;
  }
  st.i++;
  return out;
}

/** $( … ): finds the matching paren (quote-aware), records the inner script, returns it verbatim. */
function readSub(st: State, skip: number, open: string, close: string): string {
  const s = st.s;
  const from = st.i;
  let depth = 1;
  let i = st.i + skip;
  let q: string | null = null;
  for (; i < s.length && depth > 0; i++) {
    const c = s[i];
    if (q) { if (c === '\\' && q === '"') i++; else if (c === q) q = null; continue; }
    if (c === '\\') { i++; continue; }
    if (c === "'" || c === '"') q = c;
    else if (c === open) depth++;
    else if (c === close) depth--;
  }
  const inner = s.slice(from + skip, depth === 0 ? i - 1 : i);
  st.subs.push(inner);
  st.i = i;
  return s.slice(from, i);
}

function readTick(st: State): string {
  const s = st.s;
  let i = st.i + 1;
  while (i < s.length && s[i] !== '`') i += s[i] === '\\' ? 2 : 1;
  const inner = s.slice(st.i + 1, Math.min(i, s.length));
  st.subs.push(inner);
  const raw = s.slice(st.i, i + 1);
  st.i = i + 1;
  return raw;
}
