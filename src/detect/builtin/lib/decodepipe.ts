/**
 * Base64-decode-into-interpreter: `echo … | base64 -d | sh`, `bash -c "$(echo … | base64 -d)"`,
 * `eval $(base64 -d <<< …)`, `python -c "exec(base64.b64decode('…'))"`. Returns the decoded layers.
 */
import type { DecodedLayer } from '../../../core/index.js';
import { base64Text } from './b64.js';
import { INTERPRETERS, POWERSHELL, SHELLS } from './names.js';
import type { Analysis, Step } from './script.js';

const RUNNERS = new Set(['eval', 'exec', 'source', '.', 'iex', 'invoke-expression']);
const runsCode = (n: string): boolean => SHELLS.has(n) || POWERSHELL.has(n) || INTERPRETERS.has(n) || RUNNERS.has(n);

const DECODER_TEXT = /base64\s+(?:-d|--decode|-D)|b64decode|openssl\s+(?:base64|enc)\b.*\s-d\b|xxd\s+-r/;

/** `name=value` (a regular expression literal is a new object each time it is evaluated: kept here) */
const ASSIGNMENT = /^([A-Za-z_]\w{0,40})=(.*)$/s;

/** Variables assigned a decoder command (cmd="base64 -d"; … | $cmd): obfuscation by indirection. */
function decoderVars(steps: Step[]): ReadonlySet<string> {
  let out: Set<string> | undefined;
  for (const s of steps) for (const w of s.words) {
    const m = ASSIGNMENT.exec(w);
    if (m && DECODER_TEXT.test(m[2])) (out ??= new Set()).add(`$${m[1]}`);
  }
  return out ?? NO_VARS;
}

/** The (shared, never changed) answer when no variable holds a decoder: most command lines. */
const NO_VARS: ReadonlySet<string> = new Set();

/** Commands isDecoder reads the arguments of (besides interpreters and decoder variables). */
const DECODERS = new Set(['base64', 'base32', 'basenc', 'openssl', 'xxd']);

function isDecoder(s: Step, vars: ReadonlySet<string>): boolean {
  const c = s.cmd;
  if (!c) return false;
  if (vars.size && vars.has(s.words.find((w) => !/^[A-Za-z_]\w*=/.test(w))?.replace(/^\$\{(\w+)\}$/, '$$$1') ?? '')) return true;
  if (!DECODERS.has(c.name) && !INTERPRETERS.has(c.name)) return false;
  const args = c.args.map((x) => x.toLowerCase());
  if (c.name === 'base64' || c.name === 'base32' || c.name === 'basenc') return args.some((x) => /^-[a-z]*d[a-z]*$|^--decode$/.test(x) || x === '-D'.toLowerCase());
  if (c.name === 'openssl') return args.some((x) => x === 'base64' || x === 'enc') && args.includes('-d');
  if (c.name === 'xxd') return args.some((x) => /^-[a-z]*r/.test(x));
  if (INTERPRETERS.has(c.name)) return args.join(' ').includes('base64') && args.some((x) => x === '-d' || x.includes('decode'));
  return false;
}

/** The literal fed to a decoder: `echo X |`, `printf X |` or `<<< X`. */
function literalFor(steps: Step[], i: number): string | null {
  const here = steps[i].cmd!.args.indexOf('<<<');
  if (here >= 0) return steps[i].cmd!.args[here + 1] ?? null;
  const prev = steps[i - 1];
  if (steps[i].op === '|' && prev?.cmd && (prev.cmd.name === 'echo' || prev.cmd.name === 'printf')) {
    const lit = prev.cmd.args.filter((x) => !x.startsWith('-'));
    return lit[lit.length - 1] ?? null;
  }
  return null;
}

export interface DecodePipe { decoder: string; runner: string; layers: DecodedLayer[] }

const memo = new WeakMap<Analysis, DecodePipe | null>();

/** Finds a base64 (or hex) decoder whose output reaches a shell or interpreter (memoised per analysis). */
export function decodeIntoInterpreter(a: Analysis): DecodePipe | null {
  let r = memo.get(a);
  if (r === undefined) { r = findPipe(a); memo.set(a, r); }
  return r;
}

function findPipe(a: Analysis): DecodePipe | null {
  const steps = a.steps;
  const vars = decoderVars(steps);
  for (let i = 0; i < steps.length; i++) {
    if (!isDecoder(steps[i], vars)) continue;
    let runner: string | null = null;
    for (let j = i + 1; j < steps.length && steps[j].op === '|' && steps[j].depth === steps[i].depth; j++) {
      const n = steps[j].cmd?.name ?? '';
      if (runsCode(n)) { runner = n; break; }
    }
    const w = steps[i].within;
    if (!runner && w && runsCode(w)) runner = `${w} $(…)`;
    runner ??= runsWrittenFile(steps, i);
    if (!runner) continue;
    const lit = literalFor(steps, i);
    const t = lit ? base64Text(lit, 4) : null;
    return { decoder: steps[i].raw.slice(0, 120), runner, layers: t ? [{ technique: `base64-pipe(${t.encoding})`, text: t.text }] : [] };
  }
  return inlineB64Exec(a);
}

/** Decoded into a file that a later command runs (base64 -d > /tmp/x.sh; chmod +x …; /tmp/x.sh). */
function runsWrittenFile(steps: Step[], i: number): string | null {
  const target = /(?:^|\s)>\s*([^\s;&|]+)/.exec(steps[i].raw)?.[1];
  if (!target || target.startsWith('/dev/')) return null;
  for (const s of steps.slice(i + 1)) {
    if (s.words[0] === target) return `exec ${target}`;
    if (s.cmd && runsCode(s.cmd.name) && s.cmd.args.includes(target)) return `${s.cmd.name} ${target}`;
  }
  return null;
}

/** Interpreter one-liners that decode and execute: exec(base64.b64decode('…')), eval(base64_decode(…)). */
function inlineB64Exec(a: Analysis): DecodePipe | null {
  for (const s of a.scripts) {
    if (s.dialect !== 'code') continue;
    const m = /\b(exec|eval|system|assert)\s*\(\s*(?:base64\.b64decode|base64_decode|decode_base64|Base64\.decode64|atob)\s*\(\s*["']([A-Za-z0-9+/=]{8,})["']/i.exec(s.text);
    if (!m) continue;
    const t = base64Text(m[2], 4);
    return { decoder: m[0].slice(0, 120), runner: m[1], layers: t ? [{ technique: `base64-inline(${t.encoding})`, text: t.text }] : [] };
  }
  return null;
}
