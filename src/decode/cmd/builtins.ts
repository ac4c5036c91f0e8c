/**
 * The few cmd.exe built-ins and filters obfuscators lean on, emulated over data: `assoc`,
 * `ftype`, `set` listings, `find` / `findstr` filters, `echo`, and FOR /F's option string and
 * tokenizer. Nothing here touches the host; values come from data/windows-env.yaml.
 */
import { windowsHost, type CmdEnv } from './env.js';

/** Splits an argument string the way a C runtime would (quotes group, quotes removed). */
export function splitArgs(s: string, delims = ' \t'): string[] {
  const out: string[] = [];
  let w = '';
  let has = false;
  let q = false;
  for (const c of s) {
    if (c === '"') { q = !q; has = true; continue; }
    if (!q && delims.includes(c)) { if (has) out.push(w); w = ''; has = false; continue; }
    w += c; has = true;
  }
  if (has) out.push(w);
  return out;
}

/** `assoc [.ext]` and `ftype [type]` output. */
export function assocOrFtype(which: 'assoc' | 'ftype', arg: string): string[] {
  const lines = windowsHost()[which];
  const a = arg.replace(/^[\s,;=]+|[\s,;=]+$/g, '').toLowerCase();
  if (!a) return lines;
  return lines.filter((l) => l.toLowerCase().startsWith(`${a}=`));
}

function findstrMatcher(pattern: string, literal: boolean, ci: boolean): (l: string) => boolean {
  if (literal) { const p = ci ? pattern.toLowerCase() : pattern; return (l) => (ci ? l.toLowerCase() : l).includes(p); }
  // findstr's small regex dialect: . any, * repeat, ^ $ anchors, [class], \x escape
  let src = '';
  for (let i = 0; i < pattern.length && src.length < 400; i++) {
    const c = pattern[i];
    // \x escapes a metacharacter; before anything else the backslash is literal (findstr l\v)
    if (c === '\\' && i + 1 < pattern.length && '.*^$[]\\<>'.includes(pattern[i + 1])) { src += '\\' + pattern[++i]; continue; }
    if (c === '.' || c === '*' || c === '^' || c === '$') { src += c; continue; }
    if (c === '[') { const e = pattern.indexOf(']', i + 1); if (e > i) { src += pattern.slice(i, e + 1).replace(/\\/g, '\\\\'); i = e; continue; } }
    src += c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  try { const re = new RegExp(src, ci ? 'i' : ''); return (l) => re.test(l.slice(0, 4096)); } catch { return () => false; }
}

/** `find` / `findstr` over piped lines. */
export function filterLines(name: 'find' | 'findstr', argText: string, input: string[]): string[] {
  // find.exe and findstr.exe skip commas and semicolons between arguments, like cmd does
  const args = splitArgs(argText, ' \t,;');
  const opts = args.filter((a) => /^\/[a-z:]/i.test(a)).map((a) => a.toLowerCase());
  const words = args.filter((a) => !/^\/[a-z:]/i.test(a));
  const ci = opts.includes('/i');
  const invert = opts.includes('/v');
  let tests: ((l: string) => boolean)[];
  const quoted = /"([^"]*)"/.exec(argText);
  if (name === 'find') tests = quoted || words.length ? [findstrMatcher(quoted ? quoted[1] : words[0], true, ci)] : [];
  else {
    const c = opts.find((o) => o.startsWith('/c:'));
    const literal = opts.includes('/l') || (!!c && !opts.includes('/r'));
    const pats = c ? [args.find((a) => a.toLowerCase().startsWith('/c:'))!.slice(3)] : (words[0] ?? '').split(' ').filter(Boolean);
    tests = pats.map((p) => findstrMatcher(p, literal, ci));
  }
  return input.filter((l) => tests.some((t) => t(l)) !== invert);
}

/** Text `echo` prints: the character after ECHO is a separator and is dropped. */
export function echoText(rest: string): string | null {
  if (!rest.trim()) return null;
  const t = rest.slice(1);
  if (/^\s*(on|off)\s*$/i.test(t) && /^[\s,;=]/.test(rest)) return null;
  return t;
}

/** Runs `set …`: assigns (returns []) or lists variables by prefix. */
export function runSet(rest: string, env: CmdEnv): string[] {
  let r = /^[\s,;=]/.test(rest) ? rest.slice(1) : rest;
  r = r.replace(/^[ \t]+/, '');
  if (/^\/a/i.test(r)) return [];
  if (/^\/p/i.test(r)) r = r.slice(2).replace(/^[ \t]+/, '');
  if (r.startsWith('"')) { const e = r.lastIndexOf('"'); r = r.slice(1, e > 0 ? e : undefined); }
  const eq = r.indexOf('=');
  if (eq < 0) return env.list(r.trim());
  if (eq === 0) return [];
  env.set(r.slice(0, eq), r.slice(eq + 1));
  return [];
}

export interface ForFOptions { tokens: number[]; rest: boolean; delims: string; eol: string; skip: number; usebackq: boolean }

const KEYS = /(tokens|delims|eol|skip)=|usebackq/gi;

/** Parses FOR /F's option string ("tokens=2 delims=.= skip=1 eol=; usebackq"). */
export function forFOptions(s: string): ForFOptions {
  const o: ForFOptions = { tokens: [1], rest: false, delims: ' \t', eol: ';', skip: 0, usebackq: false };
  const marks = [...s.matchAll(KEYS)];
  marks.forEach((m, k) => {
    const key = m[0].toLowerCase();
    if (key === 'usebackq') { o.usebackq = true; return; }
    const from = m.index! + m[0].length;
    const raw = s.slice(from, k + 1 < marks.length ? marks[k + 1].index : s.length);
    const last = k + 1 === marks.length;
    if (key.startsWith('delims')) o.delims = last ? raw : raw.replace(/\s+$/, '') || (raw ? ' ' : '');
    else if (key.startsWith('eol')) o.eol = raw.slice(0, 1);
    else if (key.startsWith('skip')) o.skip = parseInt(raw.trim(), 10) || 0;
    else parseTokens(raw.replace(/\s+/g, ''), o);
  });
  return o;
}

function parseTokens(spec: string, o: ForFOptions): void {
  const list: number[] = [];
  o.rest = spec.endsWith('*');
  for (const part of spec.replace(/\*$/, '').split(',')) {
    const m = /^\+?(\d{1,2})(?:-\+?(\d{1,2}))?$/.exec(part);
    if (!m) continue;
    const a = +m[1];
    const b = m[2] ? +m[2] : a;
    for (let t = a; t <= b && list.length < 31; t++) if (t > 0) list.push(t);
  }
  o.tokens = list.length ? list.sort((x, y) => x - y) : o.rest ? [] : [1];
}

/** The values FOR /F assigns for one line, in variable order; null when the line is skipped. */
export function forFTokens(line: string, o: ForFOptions): string[] | null {
  if (!line || (o.eol && line.startsWith(o.eol))) return null;
  const parts: { text: string; at: number }[] = [];
  let cur = '';
  let at = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = line[i];
    if (i === line.length || o.delims.includes(c)) { if (cur) parts.push({ text: cur, at }); cur = ''; continue; }
    if (!cur) at = i;
    cur += c;
  }
  if (!parts.length) return null;
  const vals = o.tokens.map((t) => parts[t - 1]?.text ?? '');
  if (o.rest) {
    const after = o.tokens.length ? o.tokens[o.tokens.length - 1] : 0;
    const p = parts[after];
    vals.push(p ? line.slice(p.at) : '');
  }
  return vals.some((v) => v) ? vals : null;
}
