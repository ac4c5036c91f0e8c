// Builds process-start events for baseline tests (the shape normalize + lineage produce).
import type { ProcessInfo, ProcessStartEvent } from '../../src/core/index.js';

export const T0 = Date.parse('2024-03-01T00:00:00.000Z');
export const DAY = 86_400_000;

let record = 0;

/** A process start on `host` at `time` by `user`: `image` + `commandLine`, started by `parent`. */
export function ps(host: string, time: number, image: string, commandLine: string, parent: ProcessInfo, user = 'corp\\alice'): ProcessStartEvent {
  record++;
  return {
    kind: 'process_start', time, host, user, event: { file: 'test.json', record, channel: null, eventId: 1 }, raw: {},
    process: { image, commandLine, pid: 1000 + record, user }, parent, ancestors: [parent],
  };
}

export const EXPLORER: ProcessInfo = { image: 'C:\\Windows\\explorer.exe', commandLine: 'C:\\Windows\\Explorer.EXE', pid: 300 };
export const WINWORD: ProcessInfo = { image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', commandLine: 'WINWORD.EXE /n', pid: 400 };
export const CMD = 'C:\\Windows\\System32\\cmd.exe';
export const PWSH = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
