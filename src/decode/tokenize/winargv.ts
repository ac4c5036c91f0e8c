/**
 * Windows command lines: CommandLineToArgvW (the MSVC runtime rules powershell.exe and most
 * programs use) and cmd.exe's own view of a line — chained commands with carets, quotes,
 * `&` `&&` `||` `|`, groups and redirections — plus the /C /K /R payload of a cmd.exe process.
 * Linear scans, input capped at MAX_CMDLINE.
 */
import { cmdSwitches, programName } from '../cmd/emulate.js';
import { parseCmd, serialize, type CmdNode } from '../cmd/parse.js';

/** Longest command line parsed (Windows caps at 32 767 UTF-16 units). */
export const MAX_CMDLINE = 64 * 1024;

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Splits a command line exactly as CommandLineToArgvW does (argv[0] has no backslash rules). */
export function winArgv(cmdline: string, max = MAX_CMDLINE): string[] {
  const s = cmdline.slice(0, max);
  const out: string[] = [];
  let i = 0;
  while (isWs(s[i])) i++;
  if (i >= s.length) return out;
  if (s[i] === '"') {
    const end = s.indexOf('"', i + 1);
    out.push(s.slice(i + 1, end < 0 ? s.length : end));
    i = end < 0 ? s.length : end + 1;
  } else {
    const st = i;
    while (i < s.length && !isWs(s[i])) i++;
    out.push(s.slice(st, i));
  }
  while (i < s.length) {
    while (isWs(s[i])) i++;
    if (i >= s.length) break;
    const r = readArg(s, i);
    out.push(r.arg);
    i = r.next;
  }
  return out;
}

/** One argument with the 2n / 2n+1 backslash rules and "" inside quotes. */
function readArg(s: string, start: number): { arg: string; next: number } {
  let arg = '';
  let inQ = false;
  let i = start;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      let n = 0;
      while (s[i] === '\\') { n++; i++; }
      if (s[i] === '"') { arg += '\\'.repeat(n >> 1); if (n & 1) { arg += '"'; i++; } } else arg += '\\'.repeat(n);
      continue;
    }
    if (c === '"') {
      if (inQ && s[i + 1] === '"') { arg += '"'; i += 2; continue; }
      inQ = !inQ; i++; continue;
    }
    if (!inQ && isWs(c)) break;
    arg += c; i++;
  }
  return { arg, next: i };
}

/** A command of a cmd.exe line: the operator before it, its text (carets removed), its redirections. */
export interface CmdCommand { op: string | null; text: string; redirs: string[]; depth: number }

/** cmd.exe's split of one line into commands (no % expansion: the line is taken as written). */
export function cmdCommands(line: string): CmdCommand[] {
  const out: CmdCommand[] = [];
  const walk = (node: CmdNode, op: string | null, depth: number): void => {
    if (out.length > 4096) return;
    if (node.kind === 'simple') out.push({ op, text: node.text.trim(), redirs: node.redirs, depth });
    else if (node.kind === 'pipe') { walk(node.left, op, depth); walk(node.right, '|', depth); }
    else if (node.kind === 'block') node.body.forEach((x, k) => walk(x.node, k ? x.op : op, depth + 1));
    else out.push({ op, text: serialize(node), redirs: [], depth });
  };
  parseCmd(line.slice(0, MAX_CMDLINE)).forEach((x) => walk(x.node, x.op, 0));
  return out;
}

/** The script a cmd.exe process runs (`cmd [switches] /c "…"`) and whether /V turns on delayed expansion. */
export function cmdPayload(cmdline: string): { script: string; delayed: boolean } | null {
  const { base, rest } = programName(cmdline.slice(0, MAX_CMDLINE));
  if (base !== 'cmd') return null;
  const sw = cmdSwitches(rest);
  return sw.payload === null ? null : { script: sw.payload, delayed: sw.delayed };
}
