// Builds normalized events for detector tests (same shape the normalizer and lineage produce).
import type { Finding, NetworkEvent, ProcessInfo, ProcessStartEvent, ServiceCreatedEvent, ShellEvent, TaskCreatedEvent } from '../../src/core/index.js';
import { builtinDetectors } from '../../src/detect/builtin/index.js';

const ref = { file: 'test', record: 1, channel: null, eventId: null };
const base = { time: 0, host: 'test-host', event: ref, raw: {} };

/** `proc('C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c whoami')`. */
export function proc(image: string, commandLine?: string, pid?: number): ProcessInfo {
  return { image, commandLine: commandLine ?? image, pid };
}

/** A process start with the parent first in `chain`, then grandparents. */
export function start(self: ProcessInfo, ...chain: ProcessInfo[]): ProcessStartEvent {
  return { ...base, kind: 'process_start', process: self, parent: chain[0] ?? {}, ancestors: chain };
}

export function network(self: ProcessInfo, dstIp: string, dstPort: number, ...chain: ProcessInfo[]): NetworkEvent {
  return { ...base, kind: 'network', process: self, dstIp, dstPort, initiated: true, ancestors: chain };
}

export function task(command: string, taskName = '\\T'): TaskCreatedEvent {
  return { ...base, kind: 'task_created', taskName, command, process: {} };
}

export function service(command: string, serviceName = 'svc'): ServiceCreatedEvent {
  return { ...base, kind: 'service_created', serviceName, command, process: {} };
}

const never = { allowed: () => false };

/** Findings of one detector (by id) on an event. */
export function run(id: string, ev: ShellEvent): Finding[] {
  const d = builtinDetectors.find((x) => x.id === id);
  if (!d) throw new Error(`no detector ${id}`);
  return d.detect(ev, never);
}

/** Ids of every detector that fires on an event. */
export function firing(ev: ShellEvent): string[] {
  return builtinDetectors.filter((d) => d.detect(ev, never).length > 0).map((d) => d.id);
}

/** Single-quotes a string for a POSIX `bash -c '…'` command line. */
export const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** An interactive user terminal: bash under sshd (the benign suite's Linux context). */
export const LINUX_TERMINAL = [proc('/usr/bin/bash', '-bash', 200), proc('/usr/sbin/sshd', 'sshd: alice@pts/0', 150), proc('/usr/sbin/sshd', '/usr/sbin/sshd -D', 1)];
export const WIN_EXPLORER = [proc('C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', 300), proc('C:\\Windows\\System32\\userinit.exe', 'userinit.exe', 290)];

/** `bash -c '<line>'` under an interactive terminal. */
export const linuxLine = (line: string): ProcessStartEvent => start(proc('/usr/bin/bash', `bash -c ${shq(line)}`, 400), ...LINUX_TERMINAL);
/** `cmd.exe /c <line>` under explorer. */
export const windowsLine = (line: string): ProcessStartEvent => start(proc('C:\\Windows\\System32\\cmd.exe', `cmd.exe /c ${line}`, 500), ...WIN_EXPLORER);
