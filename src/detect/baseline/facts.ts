/**
 * What a baseline models about an event: facts (parent→child pair, command template, user→shell)
 * and the scopes they are counted in (the host, its host groups, the user's user groups).
 */
import type { ProcessInfo, ShellEvent } from '../../core/index.js';
import { chainOf } from '../builtin/lib/lineage.js';
import { isShellLike, procName } from '../builtin/lib/names.js';
import type { Groups } from './groups.js';
import { commandTemplate, type MaskOptions } from './mask.js';

/** `pair`: `parent>child` names; `template`: masked command; `user`: `user>shell`; `events`: learned process starts of a scope. */
export type FactKind = 'events' | 'pair' | 'template' | 'user';
/** Fact kinds in the order judgements report them. */
export const FACT_KINDS: readonly FactKind[] = ['pair', 'template', 'user'];

export interface Fact { kind: FactKind; value: string }

/** An event's subject: the process and its parent, with the user who ran it. */
export interface Subject { host: string; user: string; process: ProcessInfo; parent?: ProcessInfo; shell: boolean }

/** Scope keys: `host:<name>`, `hostgroup:<name>`, `usergroup:<name>` (names lower-cased). */
export const hostScope = (host: string): string => `host:${host.toLowerCase()}`;

/** Normalised user for facts: lower-case, `DOMAIN\user` kept as written. */
export const userKey = (u: string | undefined): string => (u ?? '').trim().toLowerCase();

/** The process an event is about (process starts, and events that carry their process), or null. */
export function subjectOf(ev: ShellEvent): Subject | null {
  if (!ev.host) return null;
  if (ev.kind === 'task_created' || ev.kind === 'service_created') {
    if (!ev.command) return null;
    const process = { commandLine: ev.command };
    return { host: ev.host, user: userKey(ev.user), process, shell: isShellLike(process) };
  }
  if (!('process' in ev) || !ev.process) return null;
  const process = ev.process;
  const parent = ev.kind === 'process_start' || ev.kind === 'network' ? chainOf(ev)[0] : undefined;
  return { host: ev.host, user: userKey(ev.user ?? process.user), process, parent, shell: isShellLike(process) };
}

/** The facts of a subject, in FACT_KINDS order. */
export function factsOf(s: Subject, mask: MaskOptions = {}): Fact[] {
  const out: Fact[] = [];
  const child = procName(s.process);
  if (!child) return out;
  if (s.parent) out.push({ kind: 'pair', value: `${procName(s.parent) || '?'}>${child}` });
  const t = commandTemplate(s.process, mask);
  if (t) out.push({ kind: 'template', value: t });
  if (s.shell && s.user) out.push({ kind: 'user', value: `${s.user}>${child}` });
  return out;
}

/** Console hosts Windows starts beside every console program: not something a shell ran. */
const CONSOLE_HOSTS: ReadonlySet<string> = new Set(['conhost', 'openconsole']);

/** True when the subject is shell usage: a shell, or a process a shell started (console hosts aside). */
export const isShellUsage = (s: Subject): boolean => s.shell || (isShellLike(s.parent) && !CONSOLE_HOSTS.has(procName(s.process)));

/** The scopes a subject is counted in: its host, its host groups, its user's user groups. */
export function scopesOf(s: Subject, groups: Groups): string[] {
  const out = [hostScope(s.host)];
  for (const g of groups.hostGroups(s.host)) out.push(`hostgroup:${g}`);
  for (const g of groups.userGroups(s.user)) out.push(`usergroup:${g}`);
  return out;
}

/** True when an event is about shell usage (see isShellUsage). */
export function isShellUsageEvent(ev: ShellEvent): boolean {
  const s = subjectOf(ev);
  return !!s && isShellUsage(s);
}
