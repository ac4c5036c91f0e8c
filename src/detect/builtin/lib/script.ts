/**
 * Reads what a process will run: the inline script of cmd /c, sh -c, powershell -Command or
 * -EncodedCommand, python -c …, split into chained commands, with nested shells and $( … )
 * substitutions followed to a bounded depth and every decoded layer recorded.
 * Results are memoised per ProcessInfo so six detectors share one parse.
 */
import type { DecodedLayer, ProcessInfo } from '../../../core/index.js';
import { commandOf, type Command } from './command.js';
import { cmdSegments } from './cmdsplit.js';
import { INTERPRETERS, POWERSHELL, SCRIPT_HOSTS, SHELLS, procName } from './names.js';
import { posixSegments } from './posix.js';
import { decodeEncodedCommand, fromBase64Layers, readPsArgs } from './powershell.js';
import type { Segment } from './segment.js';
import { cmdScript, MAX_CMDLINE, winArgv } from './winargv.js';

export type Dialect = 'cmd' | 'posix' | 'powershell';

/** One command found anywhere in the process's script, with how deep it was nested. */
export interface Step extends Segment {
  cmd: Command | null;
  dialect: Dialect;
  depth: number;
  /** for commands inside $( … ) or back-ticks: the command that contains the substitution */
  within?: string;
  /** the process itself (argv of the command line), not a command of its script */
  top?: boolean;
}

export interface Analysis {
  name: string;
  /** inline scripts, outermost first (cmd /c text, sh -c text, decoded PowerShell …) */
  scripts: { dialect: Dialect | 'code'; text: string }[];
  steps: Step[];
  decoded: DecodedLayer[];
  /** the PowerShell -EncodedCommand switch as written, when present */
  encodedSwitch?: string;
  /** the command line, bounded */
  commandLine: string;
}

const MAX_DEPTH = 4;
const MAX_STEPS = 400;
const memo = new WeakMap<ProcessInfo, Analysis>();

/** Analysis of a process's command line (memoised). */
export function analyze(p: ProcessInfo): Analysis {
  let a = memo.get(p);
  if (!a) { a = analyzeLine(p.commandLine ?? '', procName(p)); memo.set(p, a); }
  return a;
}

/** Analysis of a bare command line run by a program called `name` (task and service actions too). */
export function analyzeLine(commandLine: string, name: string): Analysis {
  const cl = commandLine.length > MAX_CMDLINE ? commandLine.slice(0, MAX_CMDLINE) : commandLine;
  const a: Analysis = { name, scripts: [], steps: [], decoded: [], commandLine: cl };
  const firstWords = isPosixLine(cl, name) ? posixSegments(cl)[0]?.words ?? [] : winArgv(cl);
  if (firstWords.length) {
    a.steps.push({ words: firstWords, op: null, raw: cl.slice(0, 4096), subs: [], ansiEscapes: 0, cmd: { name, args: firstWords.slice(1) }, dialect: 'posix', depth: 0, top: true });
  }
  invoke(a, name, cl, firstWords, 0);
  return a;
}

/** Records the script `name` runs given its raw text and words, and recurses into it. */
function invoke(a: Analysis, name: string, raw: string, words: string[], depth: number): void {
  if (depth > MAX_DEPTH || a.steps.length > MAX_STEPS) return;
  if (name === 'cmd') {
    const s = cmdScript(raw.slice(Math.max(0, raw.search(/cmd|comspec/i))));
    if (s) runScript(a, 'cmd', s.text, depth);
  } else if (SHELLS.has(name)) {
    const s = posixScript(raw, words);
    if (s !== null) runScript(a, 'posix', s, depth);
  } else if (POWERSHELL.has(name)) {
    powershell(a, words.slice(1), depth, raw);
  } else if (INTERPRETERS.has(name) || SCRIPT_HOSTS.has(name)) {
    const code = inlineCode(words);
    if (code) a.scripts.push({ dialect: 'code', text: code });
  }
}

/**
 * Analysis of PowerShell script text (4104 ScriptBlockText, 4103 payload, 800 pipeline text): the text
 * is the script itself, not a command line, so it is split into statements and its FromBase64String
 * literals decoded, without an argv[0].
 */
export function analyzeScriptText(text: string): Analysis {
  const t = text.length > MAX_CMDLINE ? text.slice(0, MAX_CMDLINE) : text;
  const a: Analysis = { name: 'powershell', scripts: [], steps: [], decoded: [], commandLine: t };
  if (!t.trim()) return a;
  a.scripts.push({ dialect: 'powershell', text: t });
  for (const l of fromBase64Layers(t)) a.decoded.push(l);
  for (const seg of cmdSegments(t.replace(/;/g, '&'))) addStep(a, seg, 'powershell', 0);
  return a;
}

/** POSIX quoting applies to Unix paths and bare names without a Windows extension. */
function isPosixLine(cl: string, name: string): boolean {
  if (name === 'cmd' || POWERSHELL.has(name) || SCRIPT_HOSTS.has(name)) return false;
  const first = cl.trimStart().split(/\s/, 1)[0] ?? '';
  return !first.includes('\\') && !/\.exe"?$/i.test(first);
}

function powershell(a: Analysis, args: string[], depth: number, raw: string): void {
  const ps = readPsArgs(args);
  let text = ps.command;
  // keep the script's own line breaks (statement separators) instead of the argv re-join
  const firstWord = ps.commandAt !== undefined ? args[ps.commandAt] : undefined;
  if (text && firstWord && raw.includes('\n')) { const at = raw.indexOf(firstWord); if (at >= 0) text = raw.slice(at); }
  if (ps.encoded) {
    a.encodedSwitch ??= ps.encoded.spelling;
    const dec = decodeEncodedCommand(ps.encoded.value);
    if (dec !== null) { a.decoded.push({ technique: 'powershell-encodedcommand(utf-16le)', text: dec }); text = dec; }
  }
  if (!text) return;
  a.scripts.push({ dialect: 'powershell', text });
  for (const l of fromBase64Layers(text)) a.decoded.push(l);
  // PowerShell separates statements with ; and pipes with |, close enough to cmd's splitter for chaining.
  for (const seg of cmdSegments(text.replace(/;/g, '&'))) addStep(a, seg, 'powershell', depth);
}

/** The script of `sh -c script` (also -ic, -lc, -xc …); raw text when argv quoting was lost. */
function posixScript(raw: string, words: string[]): string | null {
  const k = words.findIndex((w, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w));
  if (k < 0) return null;
  if (k === words.length - 2 && posixSegments(raw).length <= 1) return words[k + 1];
  // Telemetry that joins argv with spaces loses the quotes: everything after -c is the script.
  const at = raw.search(/\s-[a-zA-Z]*c[a-zA-Z]*\s/);
  return at < 0 ? (words[k + 1] ?? '') : raw.slice(at).replace(/^\s-[a-zA-Z]*c[a-zA-Z]*\s+/, '');
}

function inlineCode(words: string[]): string | null {
  const k = words.findIndex((w, i) => i > 0 && /^(?:-[a-zA-Z]*[cer]|--eval|-Command)$/.test(w));
  if (k >= 0) return words.slice(k + 1).join(' ');
  const js = words.find((w) => /^(?:javascript|vbscript):/i.test(w));
  return js ?? null;
}

function runScript(a: Analysis, dialect: Dialect, text: string, depth: number, within?: string): void {
  a.scripts.push({ dialect, text });
  const segs = dialect === 'cmd' ? cmdSegments(text) : posixSegments(text);
  for (const seg of segs) addStep(a, seg, dialect, depth, within);
}

function addStep(a: Analysis, seg: Segment, dialect: Dialect, depth: number, within?: string): void {
  if (a.steps.length > MAX_STEPS) return;
  const cmd = commandOf(seg.words);
  a.steps.push({ words: seg.words, op: seg.op, raw: seg.raw, subs: seg.subs, ansiEscapes: seg.ansiEscapes, cmd, dialect, depth, within });
  for (const sub of seg.subs) if (depth < MAX_DEPTH) runScript(a, 'posix', sub, depth + 1, cmd?.name ?? 'exec');
  // only what invoke() reads a script from is worth re-joining its words for
  if (cmd && depth < MAX_DEPTH && runsScript(cmd.name)) {
    const words = [cmd.name, ...cmd.args];
    invoke(a, cmd.name, dialect === 'cmd' ? seg.raw : words.map(requote).join(' '), words, depth + 1);
  }
}

/** Programs invoke() follows into: cmd, shells, PowerShell, interpreters and script hosts. */
function runsScript(name: string): boolean {
  return name === 'cmd' || SHELLS.has(name) || POWERSHELL.has(name) || INTERPRETERS.has(name) || SCRIPT_HOSTS.has(name);
}

/** Re-quotes a word for the nested posixScript fallback (only used when argv had to be re-joined). */
function requote(w: string): string {
  return /[\s;&|'"]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w;
}
