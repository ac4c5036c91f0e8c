/**
 * FOR and IF for the cmd emulator. FOR /L counts (reversal and FOR-coding loops), plain FOR walks
 * a list, FOR /F tokenizes the output of an emulated command ('assoc^|find "md="') or a literal
 * string. Iterations are bounded by the shared Budget.
 */
import { forFOptions, forFTokens } from './builtins.js';
import { cmdInt } from './env.js';
import type { CmdNode } from './parse.js';
import type { Ctx } from './types.js';

type ForNode = Extract<CmdNode, { kind: 'for' }>;
type IfNode = Extract<CmdNode, { kind: 'if' }>;

const MAX_ITER = 20_000;

function body(node: ForNode, ctx: Ctx, values: string[], stdin: string[] | null): string[] {
  const vars = new Map(ctx.forVars);
  let letter = node.variable.charCodeAt(0);
  for (const v of values) vars.set(String.fromCharCode(letter++), v);
  return ctx.run.runSeq(node.body, { ...ctx, forVars: vars }, stdin);
}

/** Runs a FOR command (its body reads the FOR's stdin); returns its output lines. */
export function runFor(node: ForNode, ctx: Ctx, stdin: string[] | null): string[] {
  if (!node.variable) return [];
  const sw = node.switches.map((s) => s.replace(/\^/g, '').toLowerCase());
  const set = ctx.run.subst(node.set, ctx);
  const out: string[] = [];
  const each = (vals: string[]): boolean => {
    if (!ctx.budget.step()) return false;
    out.push(...body(node, ctx, vals, stdin).slice(0, 1000));
    return true;
  };
  if (sw.includes('/l')) {
    ctx.proc.tech.add('cmd-for-loop');
    const [a, s, b] = set.split(/[\s,;=]+/).filter(Boolean).map(cmdInt);
    const step = Number.isNaN(s) ? 1 : s;
    if ([a, b].some(Number.isNaN) || step === 0) return out;
    for (let i = a, n = 0; (step > 0 ? i <= b : i >= b) && n < MAX_ITER; i += step, n++) if (!each([String(i)])) break;
    return out;
  }
  if (sw.includes('/f')) {
    for (const vals of forFLines(set, ctx.run.subst(node.options, ctx), ctx)) if (!each(vals)) break;
    return out;
  }
  if (sw.length) return out;
  const items = set.match(/"[^"]*"|[^\s,;=]+/g) ?? [];
  if (items.length > 1) ctx.proc.tech.add('cmd-for-loop');
  for (const it of items.slice(0, MAX_ITER)) if (!/[*?]/.test(it) && !each([it])) break;
  return out;
}

/** The token values of every line FOR /F reads from its command, string or (unreadable) file set. */
function forFLines(set: string, options: string, ctx: Ctx): string[][] {
  const o = forFOptions(options);
  const s = set.replace(/^[\s,;=]+|[\s,;=]+$/g, '');
  let lines: string[] = [];
  const cmdQuote = o.usebackq ? '`' : "'";
  if (s.startsWith(cmdQuote) && s.length > 1) {
    const inner = s.slice(1, s.lastIndexOf(cmdQuote) > 0 ? s.lastIndexOf(cmdQuote) : undefined);
    const child = ctx.run.childCtx(ctx, false);
    lines = ctx.run.runLine(inner, { ...child, capture: true }, 'child');
  } else if (s.startsWith(o.usebackq ? "'" : '"')) lines = [s.slice(1, s.length > 1 && /["']$/.test(s) ? -1 : undefined)];
  const out: string[][] = [];
  for (const l of lines.slice(o.skip)) {
    const t = forFTokens(l, o);
    if (t) out.push(t);
  }
  return out;
}

const OPS: Record<string, (c: number) => boolean> = {
  equ: (c) => c === 0, neq: (c) => c !== 0, lss: (c) => c < 0, leq: (c) => c <= 0, gtr: (c) => c > 0, geq: (c) => c >= 0, '==': (c) => c === 0,
};

function compare(a: string, b: string, ci: boolean, numeric: boolean): number {
  const na = cmdInt(a);
  const nb = cmdInt(b);
  if (numeric && /^\s*[+-]?\d+\s*$/.test(a) && /^\s*[+-]?\d+\s*$/.test(b) && !Number.isNaN(na + nb)) return na - nb;
  const x = ci ? a.toLowerCase() : a;
  const y = ci ? b.toLowerCase() : b;
  return x === y ? 0 : x < y ? -1 : 1;
}

function condition(words: string[], ctx: Ctx): boolean {
  const w = [...words];
  let ci = false;
  let not = false;
  while (w.length && /^(\/i|not)$/i.test(w[0])) { if (w.shift()!.toLowerCase() === 'not') not = true; else ci = true; }
  const kw = (w[0] ?? '').toLowerCase();
  let r: boolean;
  if (kw === 'defined') r = ctx.proc.env.get(w[1] ?? '') !== undefined;
  else if (kw === 'exist') r = false;
  else if (kw === 'errorlevel') r = 0 >= cmdInt(w[1] ?? '0');
  else if (kw === 'cmdextversion') r = 2 >= cmdInt(w[1] ?? '0');
  else {
    const op = (w[1] ?? '').toLowerCase();
    const test = OPS[op];
    r = !!test && test(compare(w[0].replace(/^"|"$/g, ''), (w[2] ?? '').replace(/^"|"$/g, ''), ci, op !== '=='));
  }
  return r !== not;
}

/** Runs an IF command (its body is the rest of the line, as in cmd). */
export function runIf(node: IfNode, ctx: Ctx): string[] {
  const words = node.words.map((x) => ctx.run.subst(x, ctx));
  return condition(words, ctx) ? ctx.run.runSeq(node.body, ctx, null) : [];
}
