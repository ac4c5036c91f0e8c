/**
 * shell-via-scheduled-task-or-service: shells run by the task scheduler, the service control manager,
 * WMI or WinRM (remote execution), cron/atd or systemd; a bare interactive shell started by a service
 * host (svchost → cmd with no command: its input is a pipe or socket); recon commands a remote
 * PowerShell/WMI session runs directly; and task/service creations or reconfigurations whose action is
 * a shell or suspicious (events 4698/4697/7045, schtasks /create /tr, sc create|config binPath=,
 * sc failure command=, reg add …\Services\x /v ImagePath|FailureCommand, the same from PowerShell
 * script blocks, crontab, systemd-run, at).
 */
import type { DetectorInfo, Finding, ProcessInfo, ShellEvent } from '../../core/index.js';
import { excerpt } from './lib/define.js';
import { chainOf, firstNonShell, label } from './lib/lineage.js';
import { commandOf } from './lib/command.js';
import { isShellLike, isShellName, nameOf, procName, SCHEDULERS } from './lib/names.js';
import { creationHit, suspiciousContent } from './lib/persist.js';
import { reconOf } from './lib/recon.js';
import { analyze } from './lib/script.js';
import { scriptSubjectOf } from './lib/scriptblock.js';
import { subjectOf } from './lib/subject.js';
import { winArgv } from './lib/winargv.js';

export const info: DetectorInfo = {
  id: 'shell-via-scheduled-task-or-service',
  title: 'Shell via Scheduled Task or Service',
  level: 'high',
  techniques: ['T1053', 'T1053.005', 'T1053.003', 'T1053.002', 'T1053.006', 'T1543.003', 'T1569.002', 'T1047'],
  description: 'A shell runs as (or is registered as) a scheduled task, service, WMI/WinRM remote execution, cron/at job or systemd unit; a service host starts a bare interactive shell; a service is reconfigured to run a shell or suspicious command.',
};

const WHAT: Record<string, string> = { windowsTask: 'Task Scheduler', windowsService: 'Service Control Manager', wmi: 'WMI (remote execution)', winrm: 'WinRM (remote PowerShell session)', linuxCron: 'cron', linuxAt: 'atd', systemd: 'systemd', serviceHost: 'a service host' };

export function detect(ev: ShellEvent): Finding[] {
  if (ev.kind === 'task_created' || ev.kind === 'service_created') return action(ev);
  if (ev.kind === 'script_block') return scriptCreation(ev);
  if (ev.kind !== 'process_start') return [];
  const n = procName(ev.process);
  const out: Finding[] = [];
  if (isShellLike(ev.process)) out.push(...underScheduler(ev));
  if (!out.length && ev.launchedBy && isShellLike(ev.process)) out.push(launched(ev, ev.launchedBy));
  else out.push(...remoteRecon(ev));
  if (isShellName(n) || n === 'schtasks' || n === 'sc' || n === 'reg' || n === 'crontab' || n === 'systemd-run' || n === 'at') {
    const sub = subjectOf(ev);
    const hit = sub && creationHit(sub.analysis);
    if (hit && !out.length) out.push({ reason: `${hit.tool} registers a shell as ${hit.kind}: ${excerpt(hit.action, 160)}`, evidence: { tool: hit.tool, kind: hit.kind, action: hit.action, commandLine: excerpt(ev.process.commandLine, 1000) } });
  }
  return out;
}

/** The shell runs the action of a task or service created earlier on the host (lineage joined them). */
function launched(ev: ShellEvent & { kind: 'process_start' }, by: NonNullable<ShellEvent & { kind: 'process_start' }>['launchedBy'] & object): Finding {
  const what = by.kind === 'scheduled_task' ? 'scheduled task' : 'service';
  const when = Number.isFinite(by.createdMs) ? new Date(by.createdMs).toISOString() : 'earlier';
  return {
    reason: `${label(ev.process)} runs the action of ${what}${by.name ? ` ${by.name}` : ''} created ${when}: ${excerpt(ev.process.commandLine, 160)}`,
    evidence: { launchedBy: by.kind, name: by.name ?? null, created: when, createdBy: by.event, commandLine: excerpt(ev.process.commandLine, 1000), parent: label(ev.parent) },
  };
}

function underScheduler(ev: ShellEvent & { kind: 'process_start' }): Finding[] {
  const chain = chainOf(ev);
  const origin = firstNonShell(chain);
  if (!origin) return [];
  let cat = SCHEDULERS.get(procName(origin.p));
  const ocl = origin.p.commandLine ?? '';
  if (!cat && procName(origin.p) === 'svchost' && /-s\s+schedule\b|schedule/i.test(ocl)) cat = 'windowsTask';
  // a service host starting a shell with nothing to run: its input is a pipe or socket (bind shell, token theft)
  else if (!cat && procName(origin.p) === 'svchost' && origin.i === 0 && bareShell(ev.process)) cat = 'serviceHost';
  if (!cat) return [];
  const sus = suspiciousContent(ev.process.commandLine ?? '');
  // systemd and cron run shells all day for stock units and jobs: alert on them only with suspicious content
  if ((cat === 'systemd' || cat === 'linuxCron') && !sus) return [];
  return [{
    level: sus ? 'high' : cat === 'linuxAt' ? 'medium' : 'high',
    reason: `${label(ev.process)} run by ${WHAT[cat]} (${label(origin.p)})${sus ? `, ${sus}` : ''}: ${excerpt(ev.process.commandLine, 160)}`,
    evidence: { shell: label(ev.process), scheduler: label(origin.p), schedulerKind: cat, suspicious: sus, commandLine: excerpt(ev.process.commandLine, 1000) },
  }];
}

/** A shell started with no command, script or file: cmd.exe, cmd /q, powershell -nop, sh. */
function bareShell(p: ProcessInfo): boolean {
  const a = analyze(p);
  if (a.scripts.length || a.encodedSwitch) return false;
  const args = winArgv(a.commandLine).slice(1);
  return args.every((x) => /^[-/]/.test(x) && !/^[-/](?:c|k|r|f|fi|fil|file|command|e|ec|enc\w*)$/i.test(x));
}

/** Recon commands (whoami, hostname, net user …) a remote PowerShell (WinRM) or WMI session runs directly. */
function remoteRecon(ev: ShellEvent & { kind: 'process_start' }): Finding[] {
  const parent = chainOf(ev)[0];
  const cat = parent && SCHEDULERS.get(procName(parent));
  if (cat !== 'winrm' && cat !== 'wmi') return [];
  const r = reconOf(commandOf(winArgv(ev.process.commandLine ?? ev.process.image ?? '')));
  if (!r) return [];
  return [{
    level: 'medium',
    reason: `${label(ev.process)} (recon: ${r.label}) run by ${WHAT[cat]} (${label(parent)}): ${excerpt(ev.process.commandLine, 160)}`,
    evidence: { command: label(ev.process), recon: r.label, scheduler: label(parent), schedulerKind: cat, commandLine: excerpt(ev.process.commandLine, 1000) },
  }];
}

/** Services and tasks created or reconfigured from PowerShell (4104/4103/800 text) with a shell or suspicious action. */
function scriptCreation(ev: ShellEvent): Finding[] {
  const sub = scriptSubjectOf(ev);
  const hit = sub && creationHit(sub.analysis);
  if (!sub || !hit) return [];
  const sus = suspiciousContent(hit.action);
  return [{
    reason: `${sub.what} registers ${hit.kind} to run ${sus ? `${sus}: ` : 'a shell: '}${excerpt(hit.action, 160)}`,
    evidence: { tool: hit.tool, kind: hit.kind, action: hit.action, suspicious: sus, script: excerpt(sub.analysis.commandLine, 1000) },
  }];
}

function action(ev: ShellEvent & { kind: 'task_created' | 'service_created'; command?: string }): Finding[] {
  const cmd = ev.command?.trim();
  if (!cmd) return [];
  const prog = winArgv(cmd)[0] ?? '';
  const n = /%comspec%/i.test(prog) ? 'cmd' : nameOf(prog);
  if (!isShellName(n) && !/\b(?:cmd|powershell|pwsh|mshta|wscript|cscript)(?:\.exe)?\b/i.test(cmd.slice(0, 512))) return [];
  const kind = ev.kind === 'task_created' ? `scheduled task ${ev.taskName ?? ''}` : `service ${ev.serviceName ?? ''}`;
  const sus = suspiciousContent(cmd);
  return [{
    level: 'high',
    reason: `${kind.trim()} created with a shell action${sus ? ` (${sus})` : ''}: ${excerpt(cmd, 160)}`,
    evidence: { kind: ev.kind, name: ev.kind === 'task_created' ? ev.taskName : ev.serviceName, action: excerpt(cmd, 1000), program: n, suspicious: sus },
  }];
}
