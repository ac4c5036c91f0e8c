/**
 * The layer driver: decodes a command line breadth-first, re-examining every decoded layer until
 * nothing new appears or a bound is hit, and records for each layer the technique that produced
 * it and the span of the layer it came from. Decoders never throw out of here.
 */
import { Budget, DEFAULT_LIMITS, type Limits } from './budget.js';
import { emulateCmd } from './cmd/emulate.js';
import { base64Runs } from './generic.js';
import { posixDecode } from './posix/decode.js';
import { psCommandLine, psFold, psPayloads, type Found } from './ps/decode.js';
import { scoreText, type Score } from './score.js';

/** One layer of text: layers[0] is the input; every later layer says where it came from. */
export interface Layer {
  /** how this layer was obtained (`input` for layers[0]), e.g. `powershell-encodedcommand`, `cmd-for-loop` */
  technique: string;
  text: string;
  /** the span of layers[layer].text this layer was decoded from */
  from?: { start: number; end: number; layer: number };
}

export type Shell = 'cmd' | 'powershell' | 'posix' | 'auto';

export interface DeobfuscateOptions { shell?: Shell; maxDepth?: number; maxOutput?: number; maxMs?: number }

export interface DeobfuscateResult { layers: Layer[]; score: Score }

/** Largest input examined (longer input is cut; Windows itself caps command lines at 32 767). */
const MAX_INPUT = 1 << 20;

const PS_HINT = /(^|[\\/\s"'])(powershell|pwsh)(\.exe)?\b|\$[A-Za-z_]\w*\s*=(?!=)|\[char\]|-join\b|\biex\b|invoke-expression|frombase64string|\|\s*%\s*\{|\$env:|-bxor|-replace|new-object|\[string\]::|-f\s*['"(]|\$\{[^}]*\}\s*=|&\s*\(/i;
const CMD_HINT = /(^|[\\/\s"'(&|])cmd(\.exe)?["']?[\s,;]*\/|%[^%\s]{1,60}%|[A-Za-z]\^[A-Za-z].*[A-Za-z]\^[A-Za-z]|![\w]{1,40}(:~[^!]*)?!|(^|[\s&(])(set|call|for)[\s,;]|\bassoc\b|\bftype\b/i;
const POSIX_HINT = /(^|[\s;|&(/])(ba|z|da|k)?sh\b|base64\s+(-\w*d|--decode)|\$\{?IFS|\$'\\|\bprintf\b|\beval\b|\bxxd\b|\|\s*rev\b|\bpython[23]?\b.*\s-c\b|\bperl\b.*\s-e\b|(^|[\s;])\w+=[^\s;]*;\s*\$|\\x[0-9a-f]{2}/i;

/** Which decoder families to try on a text. */
function families(text: string, shell: Shell): Set<Shell> {
  if (shell !== 'auto') return new Set([shell]);
  const out = new Set<Shell>();
  if (PS_HINT.test(text)) out.add('powershell');
  if (CMD_HINT.test(text)) out.add('cmd');
  if (POSIX_HINT.test(text) && !/^\s*"?[a-z]:\\/i.test(text)) out.add('posix');
  return out;
}

/** A literal cmd.exe program at the start: the text is a process command line, not a typed line. */
const CMD_PROCESS = /^\s*"?(?:[a-z]:\\[^"%^]*\\)?cmd(?:\.exe)?"?(?=[\s,;/]|$)/i;

/** All decodings of one text (one level deeper); pass-through extractions are looked into directly. */
function decodeOnce(text: string, shell: Shell, budget: Budget, top: boolean, hop = 0): Found[] {
  const out: Found[] = [];
  const fam = families(text, shell);
  const through = (f: Found): void => {
    if (hop < 4) for (const g of decodeOnce(f.text, 'auto', budget, top, hop + 1)) out.push({ ...g, start: f.start, end: f.end });
  };
  if (fam.has('cmd')) {
    // shell 'cmd' means a line for cmd.exe to run (typed, batch); otherwise a cmd.exe process command line
    for (const u of emulateCmd(text, budget, shell !== 'cmd' && CMD_PROCESS.test(text) ? 'process' : 'line')) {
      const f = { technique: u.technique, text: u.text, start: 0, end: text.length };
      if (u.technique === 'cmd-payload') through(f); else out.push(f);
    }
  }
  if (fam.has('powershell')) {
    const cli = psCommandLine(text);
    // a plain -Command tail of the input is no new layer; of a decoded layer it is the payload
    for (const f of cli) if (f.technique === 'powershell-command' && top && text.includes(f.text)) through(f); else out.push(f);
    if (!cli.length) {
      out.push(...psPayloads(text, budget));
      const folded = psFold(text, budget);
      if (folded) out.push(folded);
    }
  }
  if (fam.has('posix')) out.push(...posixDecode(text, budget));
  out.push(...base64Runs(text, budget));
  return out;
}

const key = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** Decodes `text` layer by layer (outermost first) and scores it. Bounded; never throws. */
export function deobfuscate(text: string, opts: DeobfuscateOptions = {}): DeobfuscateResult {
  const limits: Limits = { maxDepth: opts.maxDepth ?? DEFAULT_LIMITS.maxDepth, maxOutput: opts.maxOutput ?? DEFAULT_LIMITS.maxOutput, maxMs: opts.maxMs ?? DEFAULT_LIMITS.maxMs };
  const budget = new Budget(limits);
  const input = String(text ?? '').slice(0, MAX_INPUT);
  const layers: Layer[] = [{ technique: 'input', text: input }];
  const depth = [0];
  const seen = new Set([key(input)]);
  for (let li = 0; li < layers.length && budget.ok(); li++) {
    if (depth[li] >= limits.maxDepth) continue;
    let found: Found[];
    try { found = decodeOnce(layers[li].text, li === 0 ? opts.shell ?? 'auto' : 'auto', budget, li === 0); } catch { found = []; }
    for (const f of found) {
      const t = f.text.slice(0, budget.room()).replace(/\r\n/g, '\n').trim();
      if (!t || seen.has(key(t))) continue;
      seen.add(key(t));
      budget.output += t.length;
      layers.push({ technique: f.technique, text: t, from: { start: f.start, end: Math.max(f.start, f.end), layer: li } });
      depth.push(depth[li] + 1);
      if (budget.room() <= 0) break;
    }
  }
  return { layers, score: scoreText(input, layers.slice(1)) };
}
