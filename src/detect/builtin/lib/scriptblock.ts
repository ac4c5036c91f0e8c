/**
 * PowerShell logging events (kind `script_block`) as detector subjects: 4104 ScriptBlockText, the
 * 4103 payload and the 800 pipeline text are PowerShell source; a 400 event's text is the host's
 * own command line (its HostApplication), which the mapping also stores as process.commandLine.
 * Command lines quoted inside a script (a service ImagePath, a Start-Process target) are read too.
 */
import type { ScriptBlockEvent, ShellEvent } from '../../../core/index.js';
import { nameOf } from './names.js';
import { analyzeLine, analyzeScriptText, type Analysis } from './script.js';
import type { Subject } from './subject.js';
import { winArgv } from './winargv.js';

const memo = new WeakMap<object, Analysis>();
const embeddedMemo = new WeakMap<Analysis, Analysis[]>();

const WHAT: Record<number, string> = { 4104: 'PowerShell script block', 4103: 'PowerShell pipeline (4103)', 800: 'PowerShell pipeline (800)', 400: 'PowerShell host command line (400)' };

/** True when the event's text is the host's command line rather than script source. */
const isHostLine = (ev: ScriptBlockEvent, text: string): boolean => ev.process?.commandLine?.trim() === text;

/** The analysis of a script-block event's text (memoised per event), or null when it has none. */
export function scriptSubjectOf(ev: ShellEvent): Subject | null {
  if (ev.kind !== 'script_block') return null;
  const text = ev.text?.trim();
  if (!text) return null;
  let a = memo.get(ev);
  if (!a) {
    a = isHostLine(ev, text) ? analyzeLine(text, nameOf(winArgv(text)[0] ?? '')) : scriptText(text);
    memo.set(ev, a);
  }
  return { analysis: a, what: WHAT[ev.event.eventId ?? 4104] ?? 'PowerShell script block' };
}

/**
 * Analyses of recent script texts. Module logging repeats the same blocks thousands of times (a
 * profiler's loop, an agent's poll), and the analysis is a pure function of the text, never mutated
 * after it is built: one analysis serves every repeat. Bounded in entries and in text length.
 */
const byText = new Map<string, Analysis>();
const TEXT_CACHE = 1024;
const TEXT_CACHE_MAX_LEN = 64 * 1024;
function scriptText(text: string): Analysis {
  if (text.length > TEXT_CACHE_MAX_LEN) return analyzeScriptText(text);
  let a = byText.get(text);
  if (a) {
    byText.delete(text);
    byText.set(text, a);
    return a;
  }
  a = analyzeScriptText(text);
  byText.set(text, a);
  if (byText.size > TEXT_CACHE) byText.delete(byText.keys().next().value as string);
  return a;
}

const MAX_EMBEDDED = 16;
const MAX_EMBEDDED_LEN = 16 * 1024;
/** A shell, script host or netcat-style tool followed by a switch: the start of a quoted command line. */
const PROGRAM = /\b(?:powershell|pwsh|cmd|nc|ncat|netcat|nc64|socat|mshta|wscript|cscript)(?:\.exe)?\s+[-/]/gi;
const PATH_CHAR = /[^\s"'=(,]/;

/**
 * Command lines written inside a script (a service ImagePath value, Invoke-WmiMethod's ArgumentList,
 * a Start-Process target), found by their program word rather than by quote pairing (4103 payloads
 * wrap values in quotes of their own), each analysed as a command line.
 */
export function embeddedCommands(a: Analysis): Analysis[] {
  let out = embeddedMemo.get(a);
  if (out) return out;
  out = [];
  const text = a.scripts.find((s) => s.dialect === 'powershell')?.text ?? '';
  PROGRAM.lastIndex = 0;
  let m: RegExpExecArray | null;
  let until = 0;
  while ((m = PROGRAM.exec(text)) && out.length < MAX_EMBEDDED) {
    if (m.index < until) continue;
    let st = m.index;
    for (let k = 0; k < 260 && st > 0 && PATH_CHAR.test(text[st - 1]); k++) st--;
    const rest = text.slice(st, st + MAX_EMBEDDED_LEN);
    const end = rest.search(/["'\n]/);
    const line = (end < 0 ? rest : rest.slice(0, end)).trim();
    until = st + line.length;
    out.push(analyzeLine(line, nameOf(winArgv(line)[0] ?? '')));
  }
  embeddedMemo.set(a, out);
  return out;
}
