/**
 * A static cmd.exe emulator for deobfuscation. It runs only what obfuscation is built from —
 * SET, CALL, ECHO into pipes, FOR (/L, /F over assoc/ftype/set, lists), IF, child cmd.exe with
 * /C /K /R and /V, %…% and !…! expansion — and records every other command it would have
 * started ("leaves") as decoded text. Nothing is executed; all work is bounded by the Budget.
 */
import type { Budget } from '../budget.js';
import { assocOrFtype, echoText, filterLines, runSet } from './builtins.js';
import { runFor, runIf } from './control.js';
import { CmdEnv, expand, noFlags, type ExpandFlags } from './env.js';
import { parseCmd, serialize, type CmdNode, type Seq } from './parse.js';
import type { Ctx, LineRec, Proc, Runner, Unit } from './types.js';

export type { Unit } from './types.js';

type Origin = 'line' | 'call' | 'stdin' | 'child' | 'pipe';

const MAX_UNITS = 32;
const PRIORITY = ['cmd-for-loop', 'cmd-delayed-expansion', 'cmd-set-call', 'cmd-stdin-pipe', 'cmd-substring', 'cmd-caret'];

function technique(tech: Set<string>): string {
  return PRIORITY.find((t) => tech.has(t)) ?? 'cmd-payload';
}

function emit(ctx: Ctx, text: string, tech: Set<string>): void {
  const t = text.replace(/^[\s,;=@]+/, '').trimEnd();
  if (!t || ctx.capture || ctx.units.length >= MAX_UNITS || ctx.units.some((u) => u.text === t)) return;
  ctx.units.push({ text: t, technique: technique(tech) });
}

function noteFlags(tech: Set<string>, f: ExpandFlags, origin: string): void {
  if (f.runtime || (origin === 'call' && f.replace)) tech.add('cmd-set-call');
  if (f.substring || f.replace) tech.add('cmd-substring');
  if (f.delayed) tech.add('cmd-delayed-expansion');
}

/** Phase 1 + 2 + execution of one line of cmd text; returns what it writes to stdout. */
export function runLine(pre: string, ctx: Ctx, origin: Origin, stdin: string[] | null = null): string[] {
  if (!ctx.budget.step() || ctx.depth > 32) return [];
  const flags = noFlags();
  // plain %HOSTVAR% references stay as written: the host's values are placeholders here
  const post = expand(pre, ctx.proc.env, flags, '%', true);
  const stats = { carets: 0 };
  const seq = parseCmd(post, stats);
  noteFlags(ctx.proc.tech, flags, origin);
  if (stats.carets > 0) ctx.proc.tech.add('cmd-caret');
  if (origin === 'stdin') ctx.proc.tech.add('cmd-stdin-pipe');
  // a side of a pipe reports to the line that holds the pipe
  const rec: LineRec = origin === 'pipe' ? ctx.line : { leaves: [], machinery: false };
  const out = runSeq(seq, { ...ctx, line: rec, depth: ctx.depth + 1 }, stdin);
  if (rec.leaves.length && origin !== 'pipe') {
    const obfuscated = flags.runtime || flags.substring || flags.replace || origin === 'call';
    if (!rec.machinery) {
      // the line as cmd runs it, and (when carets escaped anything) as the program receives it
      emit(ctx, obfuscated ? post : pre, ctx.proc.tech);
      if (stats.carets) emit(ctx, stripCarets(obfuscated ? post : pre), ctx.proc.tech);
    }
    else for (const l of rec.leaves) emit(ctx, l, ctx.proc.tech);
  }
  return out;
}

/** cmd's caret rule outside double quotes: `^x` is x (the line as the command receives it). */
function stripCarets(s: string): string {
  let out = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') q = !q;
    if (s[i] === '^' && !q) { i++; if (i < s.length) out += s[i]; continue; }
    out += s[i];
  }
  return out;
}

/** Runs a sequence honouring && and || on an emulated success (leaves succeed). */
export function runSeq(seq: Seq, ctx: Ctx, stdin: string[] | null): string[] {
  const out: string[] = [];
  for (const { node } of seq) {
    if (!ctx.budget.step()) break;
    for (const l of runNode(node, ctx, stdin)) if (out.length < 10_000) out.push(l);
  }
  return out;
}

const INTERPRETER = /^(cmd|powershell|pwsh)$/;

function runNode(node: CmdNode, ctx: Ctx, stdin: string[] | null): string[] {
  switch (node.kind) {
    case 'simple': return runSimple(node, ctx, stdin);
    case 'block': { const o = runSeq(node.body, ctx, stdin); return node.redirs.some((r) => /^\d?>[^&]/.test(r)) ? [] : o; }
    case 'pipe': {
      // each side runs in a new cmd.exe that parses its text again (phase 1 and 2)
      const feeds = node.right.kind === 'for' || (node.right.kind === 'simple' && INTERPRETER.test(programName(subst(node.right.text, ctx)).base));
      // a simple command gets the parent's delayed expansion first; a block does not
      const side = (n: CmdNode): { text: string; ctx: Ctx } => ({ text: n.kind === 'simple' ? subst(serialize(n), ctx) : forSubst(serialize(n), ctx.forVars), ctx: { ...childCtx(ctx, false), line: ctx.line } });
      const l = side(node.left);
      const left = runLine(l.text, feeds ? { ...l.ctx, capture: true } : l.ctx, 'pipe', stdin);
      const r = side(node.right);
      return runLine(r.text, r.ctx, 'pipe', left);
    }
    case 'for': ctx.line.machinery = true; return runFor(node, ctx, stdin);
    case 'if': ctx.line.machinery = true; return runIf(node, ctx);
  }
}

/** Phase 4 (FOR variables) and phase 5 (delayed expansion) on a command's text. */
export function subst(text: string, ctx: Ctx, flags: ExpandFlags = noFlags()): string {
  let t = ctx.forVars.size && text.includes('%') ? forSubst(text, ctx.forVars) : text;
  if (ctx.proc.delayed && t.includes('!')) {
    t = t.replace(/\^(.)/g, '$1');
    t = expand(t, ctx.proc.env, flags, '!');
  }
  return t;
}

function forSubst(text: string, vars: Map<string, string>): string {
  return text.replace(/%(~[fdpnxsatz]*)?([^%\s])/g, (m, mod: string | undefined, v: string) => {
    const val = vars.get(v);
    if (val === undefined) return m;
    return mod ? val.replace(/^"(.*)"$/s, '$1') : val;
  });
}

/** The program a simple command starts: its base name (lowercase, no .exe) and the text after it. */
export function programName(text: string): { base: string; rest: string } {
  const t = text.replace(/^[\s,;=@]+/, '');
  let i = 0;
  let q = false;
  let name = '';
  for (; i < t.length; i++) {
    const c = t[i];
    if (c === '"') { q = !q; continue; }
    if (!q && (/[\s,;=(]/.test(c) || (c === '/' && name))) break;
    name += c;
  }
  const lower = name.toLowerCase();
  // internal commands end at . : \ / [ ] + too (echo.x, assoc.cmd)
  const inner = /^(echo|set|call|assoc|ftype|type|start|cd|dir|title)[.:\\/[\]+]/.exec(lower);
  if (inner) return { base: inner[1], rest: t.slice(inner[1].length) };
  const base = lower.replace(/^.*[\\/]/, '').replace(/\.(exe|com)$/, '');
  return { base: base === '%comspec%' ? 'cmd' : base, rest: t.slice(i) };
}

function runSimple(node: Extract<CmdNode, { kind: 'simple' }>, ctx: Ctx, stdin: string[] | null): string[] {
  const flags = noFlags();
  const text = subst(node.text, ctx, flags);
  noteFlags(ctx.proc.tech, flags, 'line');
  const { base, rest } = programName(text);
  const toFile = node.redirs.some((r) => /^\d?>[^&]/.test(r) && !/^2/.test(r));
  const leaf = (out: string[] = []): string[] => { ctx.line.leaves.push(subst(node.display, ctx)); return toFile ? [] : out; };
  switch (base) {
    case 'set': ctx.line.machinery = true; return runSet(rest, ctx.proc.env);
    case 'call': ctx.line.machinery = true; return runLine(rest.replace(/\^/g, '^^'), ctx, 'call');
    case 'cmd': ctx.line.machinery = true; return runChild(rest, ctx, stdin);
    case 'echo': { const e = echoText(rest); return leaf(e === null ? [] : [e]); }
    case 'assoc': case 'ftype': return leaf(assocOrFtype(base, rest));
    case 'find': case 'findstr': return leaf(filterLines(base, rest, stdin ?? []));
    case 'powershell': case 'pwsh':
      if (stdin && /(^|\s)-(\s|$)|-c\w*\s+-\s*$/i.test(rest)) {
        ctx.line.machinery = true;
        emit(ctx, stdin.join('\n'), new Set([...ctx.proc.tech, 'cmd-stdin-pipe']));
        return [];
      }
      // what powershell.exe receives (carets gone) can differ from the line as written
      emit(ctx, subst(node.display, ctx), ctx.proc.tech);
      return leaf();
    default: return base ? leaf() : [];
  }
}

/** A child cmd.exe: its switches (/V delayed expansion, /C /K /R payload) or, lacking one, stdin. */
export function runChild(args: string, ctx: Ctx, stdin: string[] | null): string[] {
  const sw = cmdSwitches(args);
  const child = childCtx(ctx, sw.delayed);
  if (sw.payload !== null) return runLine(sw.payload, child, 'child');
  const out: string[] = [];
  for (const l of stdin ?? []) out.push(...runLine(l, child, 'stdin'));
  return out;
}

/** A fresh cmd.exe process inheriting the environment (FOR /F commands, pipes, cmd /c). */
export function childCtx(ctx: Ctx, delayed: boolean): Ctx {
  const proc: Proc = { env: ctx.proc.env.clone(), delayed, tech: new Set(ctx.proc.tech) };
  return { ...ctx, proc, forVars: new Map(), line: { leaves: [], machinery: false } };
}

/** cmd.exe's switch scan: /V[:ON] anywhere before /C, /K or /R; the payload with its outer quotes removed. */
export function cmdSwitches(args: string): { delayed: boolean; payload: string | null } {
  let delayed = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '/') continue;
    const c = (args[i + 1] ?? '').toLowerCase();
    if (c === 'v') delayed = !/^:off/i.test(args.slice(i + 2, i + 6));
    if (c === 'c' || c === 'k' || c === 'r') return { delayed, payload: unquotePayload(args.slice(i + 2)) };
  }
  return { delayed, payload: null };
}

function unquotePayload(s: string): string {
  const t = s.replace(/^[ \t]+/, '');
  if (!t.startsWith('"')) return t;
  const last = t.lastIndexOf('"');
  return last > 0 ? t.slice(1, last) + t.slice(last + 1) : t.slice(1);
}

/** Emulates a cmd line as typed at a prompt (`line`) or a cmd.exe process command line (`process`). */
export function emulateCmd(text: string, budget: Budget, mode: 'line' | 'process'): Unit[] {
  const proc: Proc = { env: CmdEnv.host(), delayed: false, tech: new Set() };
  const run: Runner = { runSeq, runLine, subst, childCtx };
  const ctx: Ctx = { proc, forVars: new Map(), budget, units: [], depth: 0, capture: false, line: { leaves: [], machinery: false }, run };
  if (mode === 'process') runChild(programName(text).rest, ctx, null);
  else runLine(text, ctx, 'line');
  return ctx.units;
}
