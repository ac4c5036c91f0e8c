/**
 * A PowerShell tokenizer for static evaluation: strings (single, double, here-strings, with
 * backtick escapes), numbers, variables (`$x`, `${any name}`, `$env:x`), type literals, dash
 * operators and punctuation. Backticks inside barewords vanish (`Ne`w-Obj`ect`), case is kept.
 * One linear pass; a token cap bounds the work on huge input.
 */

export type TokKind = 'str' | 'xstr' | 'num' | 'var' | 'type' | 'op' | 'punct' | 'word' | 'nl';

export interface Tok { kind: TokKind; v: string; at: number; end: number; space: boolean }

const MAX_TOKENS = 200_000;
const ESC: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const PUNCT3 = ['::'];
const PUNCT2 = ['++', '--', '+=', '-=', '*=', '/=', '..', '::', '&&', '||'];
const DASHES = '-\u2013\u2014\u2015';
const TYPE = /^\[\s*([A-Za-z_][\w.`\s]*(?:\[\s*\])?)\s*\]/;

/** Single-quoted string body from i (after the quote): '' is a quote. */
function single(s: string, i: number): { v: string; i: number } {
  let v = '';
  while (i < s.length) {
    const c = s[i];
    if (c === "'" || c === '\u2018' || c === '\u2019') { if (s[i + 1] === c) { v += c; i += 2; continue; } return { v, i: i + 1 }; }
    v += c; i++;
  }
  return { v, i };
}

/** Double-quoted string body, raw (escapes kept for interpolation); "" and `" are quotes. */
function double(s: string, i: number): { v: string; i: number } {
  const start = i;
  while (i < s.length) {
    const c = s[i];
    if (c === '`') { i += 2; continue; }
    if (c === '"' || c === '\u201c' || c === '\u201d') { if (s[i + 1] === c) { i += 2; continue; } return { v: s.slice(start, i), i: i + 1 }; }
    if (c === '$' && s[i + 1] === '(') { i = skipParens(s, i + 1); continue; }
    i++;
  }
  return { v: s.slice(start, i), i };
}

/** Index after the parenthesis group opening at i (quote-aware, bounded by the input). */
export function skipParens(s: string, i: number): number {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') { if (--depth === 0) return i + 1; }
    else if (c === "'") i = single(s, i + 1).i - 1;
    else if (c === '"') i = double(s, i + 1).i - 1;
  }
  return i;
}

/** Backtick escapes of a double-quoted body (interpolation is the evaluator's job). */
export function unescapeDouble(s: string): string {
  return s.replace(/`(.)|""/gs, (m, c: string | undefined) => (c === undefined ? '"' : ESC[c] ?? c));
}

function variable(s: string, i: number): { v: string; i: number } {
  if (s[i + 1] === '{') { const e = s.indexOf('}', i + 2); const end = e < 0 ? s.length : e; return { v: s.slice(i + 2, end), i: end + 1 }; }
  const m = /^(?:[A-Za-z_]\w*:(?!:))?[\w?^$]*/.exec(s.slice(i + 1, i + 200))!;
  let v = m[0];
  if (v.length > 1 && /[?^$]/.test(v[0])) v = v[0];
  return { v, i: i + 1 + v.length };
}

function word(s: string, i: number): { v: string; i: number } {
  let v = '';
  while (i < s.length && /[\w.\\:/`*?-]/.test(s[i])) {
    if (s[i] === '`') { v += s[i + 1] ?? ''; i += 2; continue; }
    if (s[i] === ':' && s[i + 1] === ':') break;
    v += s[i++];
  }
  return { v, i };
}

/** Splits PowerShell text into tokens. */
export function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length && out.length < MAX_TOKENS) {
    const c = s[i];
    const space = i > 0 && /\s/.test(s[i - 1]);
    const push = (kind: TokKind, v: string, end: number): void => { out.push({ kind, v, at: i, end, space }); i = end; };
    if (c === '\n' || c === ';') { push('nl', c, i + 1); continue; }
    if (/\s/.test(c) || (c === '`' && /\s/.test(s[i + 1] ?? ''))) { i++; continue; }
    if (c === '#') { while (i < s.length && s[i] !== '\n') i++; continue; }
    if (c === '<' && s[i + 1] === '#') { const e = s.indexOf('#>', i + 2); i = e < 0 ? s.length : e + 2; continue; }
    if (c === '@' && (s[i + 1] === "'" || s[i + 1] === '"') && s[i + 2] === '\n' || (c === '@' && /^@['"]\r\n/.test(s.slice(i, i + 4)))) {
      const q = s[i + 1];
      const e = s.indexOf(`\n${q}@`, i);
      const body = s.slice(s.indexOf('\n', i) + 1, e < 0 ? s.length : e).replace(/\r$/, '');
      push(q === "'" ? 'str' : 'xstr', body, e < 0 ? s.length : e + 3);
      continue;
    }
    if ("'\u2018\u2019".includes(c)) { const r = single(s, i + 1); push('str', r.v, r.i); continue; }
    if ('"\u201c\u201d'.includes(c)) { const r = double(s, i + 1); push('xstr', r.v, r.i); continue; }
    if (c === '$' && s[i + 1] === '(') { push('punct', '$', i + 1); continue; }
    if (c === '$') { const r = variable(s, i); push('var', r.v, r.i); continue; }
    const prev = out[out.length - 1];
    const tm = c === '[' && !(prev && !space && (/^(var|str|xstr|word)$/.test(prev.kind) || prev.v === ')' || prev.v === ']')) ? TYPE.exec(s.slice(i, i + 200)) : null;
    if (tm) { push('type', tm[1].replace(/[\s`]/g, ''), i + tm[0].length); continue; }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      const m = /^(?:0x[0-9a-f]+|\d*\.?\d+(?:e[+-]?\d+)?)(?:kb|mb|gb|l|d)?/i.exec(s.slice(i, i + 64))!;
      if (!/[A-Za-z_]/.test(s[i + m[0].length] ?? '') || /^0x/i.test(m[0])) { push('num', m[0], i + m[0].length); continue; }
    }
    if (DASHES.includes(c) && /[A-Za-z]/.test(s[i + 1] ?? '')) {
      const m = /^[a-z]+/i.exec(s.slice(i + 1, i + 40))!;
      push('op', '-' + m[0].toLowerCase(), i + 1 + m[0].length);
      continue;
    }
    const three = s.slice(i, i + 2);
    if (PUNCT2.includes(three) || PUNCT3.includes(three)) { push('punct', three, i + 2); continue; }
    if ('()[]{},|&=+-*/%!.@<>'.includes(c) || DASHES.includes(c)) { push('punct', DASHES.includes(c) ? '-' : c, i + 1); continue; }
    const member = prev && (prev.v === '::' || prev.v === '.') && prev.kind === 'punct' && !space;
    const w = member ? { v: /^\w*/.exec(s.slice(i, i + 200))![0], i: i + /^\w*/.exec(s.slice(i, i + 200))![0].length } : word(s, i);
    if (w.i === i) { i++; continue; }
    push('word', w.v, w.i);
  }
  return out;
}
