/**
 * Remembers, per host, the commands scheduled tasks and services were created to run (4698/4702, 4697,
 * 7045), so that when a process later starts with that command line it is known to be the task or
 * service running — even when its parent (svchost, services.exe) says nothing on its own. Commands are
 * compared in a canonical form: %COMSPEC% and the program's folder and `.exe` dropped, quotes and
 * whitespace runs removed, case folded. Bounded per host.
 */
import type { EventRef, ShellEvent } from '../core/index.js';

export interface LaunchedBy { kind: 'scheduled_task' | 'service'; name?: string; createdMs: number; event: EventRef }

// module constants: a regular expression literal is a new object each time it is evaluated
const COMSPEC = /%comspec%/gi;
const QUOTES = /["']/g;
const PROGRAM_REST = /^(\S+)(.*)$/s;
const FOLDER = /^.*[\\/]/;
const DOT_EXE = /\.exe$/i;
const SPACES = /\s+/g;

/** A command line in the form a task definition and the process it starts share. */
export function canonicalCommand(s: string): string {
  let t = s.trim().replace(COMSPEC, 'cmd.exe').replace(QUOTES, '');
  const m = PROGRAM_REST.exec(t);
  if (m) t = m[1].replace(FOLDER, '').replace(DOT_EXE, '') + m[2];
  return t.replace(SPACES, ' ').toLowerCase().slice(0, 4096);
}

export class PersistenceIndex {
  private readonly hosts = new Map<string, Map<string, LaunchedBy>>();
  constructor(private readonly maxPerHost = 10_000) {}

  /** Drops host `h`'s tasks and services. */
  forget(h: string): void {
    this.hosts.delete(h.toLowerCase());
  }

  /** Records what a task or service creation will run. */
  created(ev: ShellEvent): void {
    if ((ev.kind !== 'task_created' && ev.kind !== 'service_created') || !ev.command) return;
    const host = ev.host.toLowerCase();
    let t = this.hosts.get(host);
    if (!t) { t = new Map(); this.hosts.set(host, t); }
    const name = ev.kind === 'task_created' ? ev.taskName : ev.serviceName;
    const entry: LaunchedBy = { kind: ev.kind === 'task_created' ? 'scheduled_task' : 'service', createdMs: ev.time, event: ev.event };
    if (name) entry.name = name;
    for (const line of ev.command.split('\n')) {
      const key = canonicalCommand(line);
      if (!key) continue;
      t.delete(key);
      t.set(key, entry);
    }
    while (t.size > this.maxPerHost) t.delete(t.keys().next().value as string);
  }

  /** The task or service whose action a process with this command line on this host is running. */
  launcherOf(host: string, commandLine: string | undefined, at: number): LaunchedBy | undefined {
    if (!commandLine) return undefined;
    const hit = this.hosts.get(host.toLowerCase())?.get(canonicalCommand(commandLine));
    return hit && (!Number.isFinite(at) || !Number.isFinite(hit.createdMs) || hit.createdMs <= at + 5_000) ? hit : undefined;
  }
}
