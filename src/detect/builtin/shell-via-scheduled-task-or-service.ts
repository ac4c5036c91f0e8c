/**
 * shell-via-scheduled-task-or-service: shells run by the task scheduler, the service control manager,
 * WMI (remote execution), cron/atd or systemd; and task/service creations whose action is a shell
 * (events 4698/4697/7045 and schtasks /create /tr, sc create binPath=, crontab, systemd-run, at).
 */
import type { DetectorInfo, Finding, ShellEvent } from '../../core/index.js';
import { excerpt } from './lib/define.js';
import { chainOf, firstNonShell, label } from './lib/lineage.js';
import { isShellLike, isShellName, nameOf, procName, SCHEDULERS } from './lib/names.js';
import { creationHit, suspiciousContent } from './lib/persist.js';
import { subjectOf } from './lib/subject.js';
import { winArgv } from './lib/winargv.js';

export const info: DetectorInfo = {
  id: 'shell-via-scheduled-task-or-service',
  title: 'Shell via Scheduled Task or Service',
  level: 'high',
  techniques: ['T1053', 'T1053.005', 'T1053.003', 'T1053.002', 'T1053.006', 'T1543.003', 'T1569.002', 'T1047'],
  description: 'A shell runs as (or is registered as) a scheduled task, service, WMI remote execution, cron/at job or systemd unit.',
};

const WHAT: Record<string, string> = { windowsTask: 'Task Scheduler', windowsService: 'Service Control Manager', wmi: 'WMI (remote execution)', linuxCron: 'cron', linuxAt: 'atd', systemd: 'systemd' };

export function detect(ev: ShellEvent): Finding[] {
  if (ev.kind === 'task_created' || ev.kind === 'service_created') return action(ev);
  if (ev.kind !== 'process_start') return [];
  const n = procName(ev.process);
  const out: Finding[] = [];
  if (isShellLike(ev.process)) out.push(...underScheduler(ev));
  if (isShellName(n) || n === 'schtasks' || n === 'sc' || n === 'crontab' || n === 'systemd-run' || n === 'at') {
    const sub = subjectOf(ev);
    const hit = sub && creationHit(sub.analysis);
    if (hit && !out.length) out.push({ reason: `${hit.tool} registers a shell as ${hit.kind}: ${excerpt(hit.action, 160)}`, evidence: { tool: hit.tool, kind: hit.kind, action: hit.action, commandLine: excerpt(ev.process.commandLine, 1000) } });
  }
  return out;
}

function underScheduler(ev: ShellEvent & { kind: 'process_start' }): Finding[] {
  const chain = chainOf(ev);
  const origin = firstNonShell(chain);
  if (!origin) return [];
  let cat = SCHEDULERS.get(procName(origin.p));
  const ocl = origin.p.commandLine ?? '';
  if (!cat && procName(origin.p) === 'svchost' && /-s\s+schedule\b|schedule/i.test(ocl)) cat = 'windowsTask';
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
