/**
 * chained-commands: commands joined with &&, ||, &, ;, | (parsed with quotes and escapes respected),
 * weighted by what is chained: recon/enumeration (whoami, net user, id, uname -a, cat /etc/passwd …),
 * Windows tradecraft (programs run from user-writable folders, copied system binaries, javascript:
 * URLs, a trailing REM) and impacket-style output redirection to admin shares or named pipes. It takes
 * two commands joined by an operator: `cmd /c cd \ 1> \\127.0.0.1\ADMIN$\__x 2>&1` is one command with
 * redirections (shell-via-scheduled-task-or-service reports it). `make && make install` or
 * `ls | grep foo` carry no weight and never alert.
 */
import type { DetectorInfo, Finding, Level, ProcessInfo, ShellEvent } from '../../core/index.js';
import { excerpt } from './lib/define.js';
import { chainOf, firstNonShell, inUserTerminal, label } from './lib/lineage.js';
import { CLIENT_APPS, isShellLike, procName, SCHEDULERS } from './lib/names.js';
import { reconOf, type ReconHit } from './lib/recon.js';
import type { Analysis } from './lib/script.js';
import { serverOf } from './lib/servers.js';
import { subjectOf } from './lib/subject.js';
import { tradecraftOf, type TradecraftHit } from './lib/tradecraft.js';

export const info: DetectorInfo = {
  id: 'chained-commands',
  title: 'Chained Commands Detected',
  level: 'medium',
  techniques: ['T1059', 'T1059.003', 'T1059.004', 'T1082', 'T1033', 'T1087', 'T1016'],
  description: 'Two or more commands chained in one command line, weighted by recon/enumeration content, Windows tradecraft and output sent to admin shares or named pipes, and by where the shell came from.',
};

/** \\host\ADMIN$ or \\host\C$ or \\.\pipe\ as a redirection target (impacket wmiexec / smbexec). */
const REMOTE_OUT = /[12]?>\s*(\\\\(?:127\.0\.0\.1|localhost|\.|[\w.-]{1,64})\\(?:admin\$|[a-z]\$|pipe)\\[^\s&|>]{0,120})/i;

interface Weighing { recon: ReconHit[]; tradecraft: TradecraftHit[]; weight: number; commands: number; ops: string[] }

/** Weight of output sent to an admin share or named pipe inside a real chain. */
const REMOTE_WEIGHT = 2;

function weigh(a: Analysis, remote: string | undefined): Weighing {
  const steps = a.steps.filter((s) => !s.top);
  const seen = new Map<string, ReconHit>();
  for (const s of steps) { const r = reconOf(s.cmd); if (r && !seen.has(r.label)) seen.set(r.label, r); }
  const recon = [...seen.values()];
  const tradecraft = tradecraftOf(steps);
  const ops = [...new Set(steps.map((s) => s.op).filter((o): o is string => !!o && o !== '(' && o !== ')'))];
  const weight = recon.reduce((n, r) => n + r.weight, 0) + tradecraft.reduce((n, t) => n + t.weight, 0) + (remote ? REMOTE_WEIGHT : 0);
  return { recon, tradecraft, weight, commands: steps.length, ops };
}

/** Two or more commands, one joined by an operator: what weigh() would count (checked first, cheaply). */
function isChain(a: Analysis): boolean {
  let commands = 0;
  let op = false;
  for (const s of a.steps) {
    if (s.top) continue;
    commands++;
    if (s.op && s.op !== '(' && s.op !== ')') op = true;
  }
  return commands >= 2 && op;
}

/** Where the shell came from decides how much chained recon it takes to alert. */
function context(ev: ShellEvent): { kind: 'interactive' | 'suspicious' | 'plain'; origin?: ProcessInfo } {
  const chain = chainOf(ev);
  const parent = chain[0];
  if (parent && isShellLike(parent) && !hasScript(parent) && inUserTerminal(chain)) return { kind: 'interactive' };
  const origin = firstNonShell(chain)?.p;
  if (origin) {
    const n = procName(origin);
    if (serverOf(origin) || CLIENT_APPS.has(n) || SCHEDULERS.has(n)) return { kind: 'suspicious', origin };
  }
  return { kind: 'plain' };
}

/** An interactive shell has no inline script (bash, -bash, cmd.exe, powershell -NoExit …). */
const hasScript = (p: ProcessInfo): boolean => /\s(?:-[a-zA-Z]*c\b|\/[ck]\b|-command\b|-enc)/i.test(p.commandLine ?? '');

export function detect(ev: ShellEvent): Finding[] {
  if (ev.kind === 'process_start' && !isShellLike(ev.process)) return [];
  const sub = subjectOf(ev);
  if (!sub) return [];
  const a = sub.analysis;
  if (!isChain(a)) return [];
  const remote = a.scripts.map((s) => REMOTE_OUT.exec(s.text)?.[1]).find(Boolean);
  const w = weigh(a, remote);
  // a chain is two or more commands joined by an operator; redirections (1> x 2>&1) are not operators
  if (w.commands < 2 || !w.ops.length) return [];
  const ctx = context(ev);
  const need = ctx.kind === 'interactive' ? 4 : ctx.kind === 'suspicious' ? 1 : 2;
  const interactiveOk = ctx.kind !== 'interactive' || w.recon.length >= 4 || w.tradecraft.length >= 2;
  if (w.weight < need || !interactiveOk) return [];
  const level: Level = remote || w.weight >= 4 || ctx.kind === 'suspicious' ? 'high' : 'medium';
  const recon = w.recon.map((r) => r.label);
  const tradecraft = w.tradecraft.map((t) => t.label);
  const why = [
    recon.length ? `${recon.length} recon command(s) (${recon.join(', ')})` : '',
    tradecraft.length ? `tradecraft (${tradecraft.join(', ')})` : '',
    remote ? `output redirected to ${remote} (impacket wmiexec/smbexec style)` : '',
  ].filter(Boolean).join('; ');
  return [{
    level,
    reason: `${sub.what} chains ${w.commands} commands with ${w.ops.join(' ')}: ${why}${ctx.origin ? `, started from ${label(ctx.origin)}` : ''}: ${excerpt(a.scripts[0]?.text ?? a.commandLine, 160)}`,
    evidence: { commands: w.commands, operators: w.ops, recon, tradecraft, weight: w.weight, threshold: need, context: ctx.kind, remoteOutput: remote, commandLine: excerpt(a.commandLine, 1000) },
  }];
}
