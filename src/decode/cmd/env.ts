/**
 * cmd.exe variables: the host environment as data (data/windows-env.yaml), a case-insensitive
 * variable table, and the two expansions cmd performs on a line — `%…%` (phase 1) and `!…!`
 * (delayed, under /V:ON) — with the `:~start,len` substring and `:old=new` / `:*old=new`
 * replacement modifiers. Command-line rules: an undefined variable is left as written (cmd keeps
 * the first `%` and rescans after it), which is what obfuscators rely on. `keepHost` leaves plain
 * references to the host environment as written (%userprofile% reads better than placeholder data).
 */
import { readFileSync } from 'node:fs';
import { parseYaml } from '../../core/index.js';

interface HostData { env: Record<string, string>; assoc: string[]; ftype: string[] }

let host: HostData | null = null;

/** The standard Windows host: environment, `assoc` and `ftype` output. Loaded once, read-only. */
export function windowsHost(): HostData {
  if (!host) {
    const raw = parseYaml(readFileSync(new URL('../data/windows-env.yaml', import.meta.url), 'utf8')) as HostData;
    host = { env: raw.env ?? {}, assoc: raw.assoc ?? [], ftype: raw.ftype ?? [] };
  }
  return host;
}

/** Largest value a variable may hold (cmd's own limit is 8191 characters per line). */
export const MAX_VAR = 32 * 1024;

/** What an expansion used, so a layer can name the technique that produced it. */
export interface ExpandFlags { runtime: boolean; substring: boolean; replace: boolean; delayed: boolean; host: boolean }

export const noFlags = (): ExpandFlags => ({ runtime: false, substring: false, replace: false, delayed: false, host: false });

/** A cmd process's variable table; names compare case-insensitively, values keep their case. */
export class CmdEnv {
  private readonly vars = new Map<string, { name: string; value: string; runtime: boolean }>();

  static host(): CmdEnv {
    const e = new CmdEnv();
    for (const [k, v] of Object.entries(windowsHost().env)) e.vars.set(k.toLowerCase(), { name: k, value: String(v), runtime: false });
    return e;
  }

  clone(): CmdEnv {
    const e = new CmdEnv();
    for (const [k, v] of this.vars) e.vars.set(k, { ...v });
    return e;
  }

  get(name: string): { value: string; runtime: boolean } | undefined {
    return this.vars.get(name.toLowerCase());
  }

  set(name: string, value: string): void {
    if (value === '') this.vars.delete(name.toLowerCase());
    else this.vars.set(name.toLowerCase(), { name, value: value.slice(0, MAX_VAR), runtime: true });
  }

  /** `set prefix` output: NAME=value lines of variables starting with prefix, sorted like cmd. */
  list(prefix: string): string[] {
    const p = prefix.toLowerCase();
    return [...this.vars.entries()].filter(([k]) => k.startsWith(p)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => `${v.name}=${v.value}`);
  }
}

/** wcstol as cmd uses it: optional whitespace and sign, 0x hex, leading-0 octal; NaN when no digits. */
export function cmdInt(s: string): number {
  const m = /^\s*([+-]?)(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)/i.exec(s);
  if (!m) return NaN;
  const body = m[2].toLowerCase();
  const n = body.startsWith('0x') ? parseInt(body.slice(2), 16) : body.length > 1 && body[0] === '0' ? parseInt(body, 8) : parseInt(body, 10);
  return m[1] === '-' ? -n : n;
}

/** `%VAR:~start,len%` on a value; null when the specification is not numeric. */
export function substring(value: string, spec: string): string | null {
  const [a, b] = spec.split(',', 2);
  let start = cmdInt(a);
  if (Number.isNaN(start)) return null;
  const n = value.length;
  if (start < 0) start = Math.max(0, n + start);
  start = Math.min(start, n);
  if (b === undefined) return value.slice(start);
  const len = cmdInt(b);
  if (Number.isNaN(len)) return null;
  const end = len < 0 ? n + len : start + len;
  return end <= start ? '' : value.slice(start, Math.min(end, n));
}

/** `%VAR:old=new%` (every occurrence, case-insensitive) and `%VAR:*old=new%` (through the first). */
export function replace(value: string, spec: string): string | null {
  const eq = spec.indexOf('=');
  if (eq < 0) return null;
  let find = spec.slice(0, eq);
  const to = spec.slice(eq + 1);
  const star = find.startsWith('*');
  if (star) find = find.slice(1);
  if (!find) return star ? null : value;
  const lv = value.toLowerCase();
  const lf = find.toLowerCase();
  if (star) {
    const at = lv.indexOf(lf);
    return at < 0 ? value : to + value.slice(at + find.length);
  }
  let out = '';
  let i = 0;
  for (let at = lv.indexOf(lf); at >= 0; at = lv.indexOf(lf, i)) {
    out += value.slice(i, at) + to;
    i = at + find.length;
    if (out.length > MAX_VAR) break;
  }
  return (out + value.slice(i)).slice(0, MAX_VAR * 2);
}

/** Value of `name[:modifier]`, or null when the variable is undefined or the modifier invalid. */
function lookup(env: CmdEnv, body: string, flags: ExpandFlags, keepHost: boolean): string | null {
  const colon = body.indexOf(':');
  const name = colon < 0 ? body : body.slice(0, colon);
  const v = env.get(name);
  if (!v || (keepHost && !v.runtime && colon < 0)) return null;
  if (colon < 0) {
    if (v.runtime) flags.runtime = true; else flags.host = true;
    return v.value;
  }
  const mod = body.slice(colon + 1);
  const out = mod.startsWith('~') ? substring(v.value, mod.slice(1)) : replace(v.value, mod);
  if (out === null) return null;
  if (v.runtime) flags.runtime = true;
  if (mod.startsWith('~')) flags.substring = true; else flags.replace = true;
  return out;
}

/** Where a reference opened at `at` ends: `:old=new` may hold the mark in `old` (%x:*x!=%, !x:*x!=!). */
function closingMark(text: string, at: number, mark: string): number {
  const close = text.indexOf(mark, at + 1);
  const colon = text.indexOf(':', at + 1);
  if (colon < 0 || colon > close || close < 0 || text[colon + 1] === '~') return close;
  const eq = text.indexOf('=', colon + 1);
  if (eq < 0 || eq - colon > 256) return close;
  return text.indexOf(mark, eq + 1);
}

/**
 * One pass of `%…%` (or, with mark `!`, delayed) expansion in command-line mode. Linear: each
 * position is visited once and results are never rescanned.
 */
export function expand(text: string, env: CmdEnv, flags: ExpandFlags, mark: '%' | '!' = '%', keepHost = false): string {
  if (!text.includes(mark)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf(mark, i);
    if (at < 0) { out += text.slice(i); break; }
    out += text.slice(i, at);
    const close = closingMark(text, at, mark);
    const val = close < 0 ? null : lookup(env, text.slice(at + 1, close), flags, keepHost);
    if (val === null) { out += mark; i = at + 1; continue; }
    if (mark === '!') flags.delayed = true;
    out += val;
    i = close + 1;
    if (out.length > MAX_VAR * 4) break;
  }
  return out;
}
