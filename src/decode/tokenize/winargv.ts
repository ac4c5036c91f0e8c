/**
 * Windows command lines: CommandLineToArgvW (the MSVC runtime rules powershell.exe and most
 * programs use) and cmd.exe's own view of a line — chained commands with carets, quotes,
 * `&` `&&` `||` `|`, groups and redirections — plus the /C /K /R payload of a cmd.exe process.
 * Linear scans, input capped at MAX_CMDLINE.
 */
import { cmdSwitches, programName } from '../cmd/emulate.js';
import { parseCmd, serialize, type CmdNode } from '../cmd/parse.js';

import { MAX_CMDLINE, winArgv } from '../../core/index.js';

/** CommandLineToArgvW lives in core (shared by decode and detect). */
export { MAX_CMDLINE, winArgv };

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
