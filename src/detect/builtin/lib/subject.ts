/** The command line an event carries for command-line detectors: a process start, or a task/service action. */
import type { ShellEvent } from '../../../core/index.js';
import { nameOf, procName } from './names.js';
import { analyze, analyzeLine, type Analysis } from './script.js';
import { winArgv } from './winargv.js';

export interface Subject { analysis: Analysis; what: string }

const memo = new WeakMap<object, Analysis>();

/** Analysis of a task or service action command line (memoised per event). */
function actionAnalysis(ev: ShellEvent & { command?: string }): Analysis | null {
  const cmd = ev.command?.trim();
  if (!cmd) return null;
  let a = memo.get(ev);
  if (!a) {
    // %COMSPEC% and friends expand to cmd.exe at run time
    const prog = winArgv(cmd)[0] ?? '';
    const name = /%comspec%/i.test(prog) ? 'cmd' : nameOf(prog);
    a = analyzeLine(cmd, name);
    memo.set(ev, a);
  }
  return a;
}

/** The command-line analysis an event offers, with a label for reasons ("process", "service action"). */
export function subjectOf(ev: ShellEvent): Subject | null {
  if (ev.kind === 'process_start') return ev.process?.commandLine ? { analysis: analyze(ev.process), what: procName(ev.process) } : null;
  if (ev.kind === 'task_created') { const a = actionAnalysis(ev); return a ? { analysis: a, what: `scheduled task ${ev.taskName ?? ''}`.trim() } : null; }
  if (ev.kind === 'service_created') { const a = actionAnalysis(ev); return a ? { analysis: a, what: `service ${ev.serviceName ?? ''}`.trim() } : null; }
  return null;
}
