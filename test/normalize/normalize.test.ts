import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawRecord } from '../../src/core/index.js';
import { loadMappings, Normalizer } from '../../src/normalize/index.js';

const n = new Normalizer();
function rec(provider: string, channel: string, eventId: number, data: Record<string, unknown>, format = 'json-evtx'): RawRecord {
  return { format, ref: { file: 'f', record: 1, channel, eventId }, system: { provider, channel, eventId, computer: 'PC1', timeMs: 1_600_000_000_000 }, data };
}
const SYSMON = ['Microsoft-Windows-Sysmon', 'Microsoft-Windows-Sysmon/Operational'] as const;
const SEC = ['Microsoft-Windows-Security-Auditing', 'Security'] as const;

test('the shipped mappings load without diagnostics', () => {
  const { mappings, diagnostics } = loadMappings();
  assert.deepEqual(diagnostics, []);
  assert.ok(mappings.length >= 14);
});

test('Sysmon 1 becomes a process start with process and parent, UtcTime as the event time', () => {
  const ev = n.normalize(rec(...SYSMON, 1, { UtcTime: '2020-01-02 03:04:05.678', ProcessGuid: '{A}', ProcessId: '4460', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c whoami', User: 'CORP\\bob', ParentProcessId: '100', ParentImage: 'C:\\w3wp.exe', ParentCommandLine: '-', IntegrityLevel: 'High' }));
  assert.equal(ev.kind, 'process_start');
  if (ev.kind !== 'process_start') return;
  assert.equal(ev.time, Date.parse('2020-01-02T03:04:05.678Z'));
  assert.deepEqual(ev.process, { pid: 4460, guid: '{A}', image: 'C:\\Windows\\System32\\cmd.exe', commandLine: 'cmd /c whoami', user: 'CORP\\bob', integrity: 'High' });
  assert.deepEqual(ev.parent, { pid: 100, image: 'C:\\w3wp.exe' });
  assert.equal(ev.user, 'CORP\\bob');
  assert.equal(ev.raw.Image, 'C:\\Windows\\System32\\cmd.exe', 'original fields stay available');
  assert.equal(ev.mapping, 'sysmon-1-process-create');
});

test('Security 4688, new field set: hex pids, target user preferred, integrity label named', () => {
  const ev = n.normalize(rec(...SEC, 4688, { NewProcessId: '0x824', NewProcessName: 'C:\\p.exe', CommandLine: 'p -enc x', ProcessId: '0xf60', ParentProcessName: 'C:\\tomcat9.exe',
    SubjectUserName: 'LOCAL SERVICE', SubjectDomainName: 'NT AUTHORITY', SubjectLogonId: '0x3e5', TargetUserName: '-', TargetDomainName: '-', TargetLogonId: '0x0', MandatoryLabel: 'S-1-16-16384' }));
  assert.equal(ev.kind, 'process_start');
  if (ev.kind !== 'process_start') return;
  assert.deepEqual(ev.process, { pid: 0x824, image: 'C:\\p.exe', commandLine: 'p -enc x', integrity: 'System', logonId: '0x3e5', user: 'NT AUTHORITY\\LOCAL SERVICE' });
  assert.deepEqual(ev.parent, { pid: 0xf60, image: 'C:\\tomcat9.exe' });
  assert.equal(ev.user, 'NT AUTHORITY\\LOCAL SERVICE');
});

test('Security 4688, Windows 7 field set (no parent name) still maps', () => {
  const ev = n.normalize(rec(...SEC, 4688, { NewProcessId: '0x10', NewProcessName: 'C:\\cmd.exe', ProcessId: '0x20', SubjectUserName: 'bob', SubjectDomainName: 'CORP' }));
  assert.equal(ev.kind, 'process_start');
  if (ev.kind === 'process_start') assert.deepEqual(ev.parent, { pid: 0x20 });
});

test('4698 task content yields the action command line; 7045 and 4697 yield the service command', () => {
  const task = n.normalize(rec(...SEC, 4698, { TaskName: '\\T', SubjectUserName: 'bob', TaskContent: '<Task><Actions><Exec><Command>cmd.exe</Command><Arguments>/c whoami &amp;&amp; net user</Arguments></Exec></Actions></Task>' }));
  assert.equal(task.kind, 'task_created');
  if (task.kind === 'task_created') assert.equal(task.command, 'cmd.exe /c whoami && net user');
  const svc = n.normalize(rec('Service Control Manager', 'System', 7045, { ServiceName: 'x', ImagePath: '%COMSPEC% /c echo x > \\\\.\\pipe\\x' }));
  assert.equal(svc.kind, 'service_created');
  if (svc.kind === 'service_created') assert.equal(svc.command, '%COMSPEC% /c echo x > \\\\.\\pipe\\x');
  const s4697 = n.normalize(rec(...SEC, 4697, { ServiceName: 'y', ServiceFileName: 'cmd /c calc' }));
  assert.equal(s4697.kind === 'service_created' && s4697.command, 'cmd /c calc');
});

test('PowerShell 4104 and 4103 become script blocks; 4624 a logon with type and source', () => {
  const sb = n.normalize(rec('Microsoft-Windows-PowerShell', 'Microsoft-Windows-PowerShell/Operational', 4104, { ScriptBlockText: 'iex 1\n2', ScriptBlockId: 'id', MessageNumber: '1', MessageTotal: '2' }));
  assert.equal(sb.kind, 'script_block');
  if (sb.kind === 'script_block') assert.deepEqual([sb.text, sb.messageNumber, sb.messageTotal], ['iex 1\n2', 1, 2]);
  const ml = n.normalize(rec('Microsoft-Windows-PowerShell', 'Microsoft-Windows-PowerShell/Operational', 4103, { Payload: 'CommandInvocation(Get-Item)', ContextInfo: '        Severity = Informational\r\n        Host Application = powershell.exe -nop -c x\r\n        User = CORP\\bob\r\n' }));
  assert.equal(ml.kind === 'script_block' && ml.process.commandLine, 'powershell.exe -nop -c x');
  assert.equal(ml.user, 'CORP\\bob');
  const lg = n.normalize(rec(...SEC, 4624, { TargetUserName: 'bob', TargetDomainName: 'CORP', TargetLogonId: '0x1A2', LogonType: '10', IpAddress: '10.1.1.1', ElevatedToken: '%%1842' }));
  assert.equal(lg.kind, 'logon');
  if (lg.kind === 'logon') assert.deepEqual([lg.logonId, lg.logonType, lg.sourceIp, lg.elevated, lg.targetUser], ['0x1a2', 10, '10.1.1.1', true, 'CORP\\bob']);
});

test('Sysmon 3 and WFP 5156 become network events; ECS process documents map by event.category', () => {
  const net = n.normalize(rec(...SYSMON, 3, { ProcessId: '5', Image: 'C:\\nc.exe', Initiated: 'true', DestinationIp: '1.2.3.4', DestinationPort: '4444', DestinationHostname: '-' }));
  assert.equal(net.kind, 'network');
  if (net.kind === 'network') assert.deepEqual([net.initiated, net.dstIp, net.dstPort, net.dstHost], [true, '1.2.3.4', 4444, undefined]);
  const wfp = n.normalize(rec(...SEC, 5156, { ProcessID: '3936', Application: '\\device\\harddiskvolume2\\x\\java.exe', Direction: '%%14593', DestAddress: '8.8.8.8', DestPort: '53', Protocol: '17' }));
  assert.equal(wfp.kind === 'network' && `${wfp.initiated} ${wfp.protocol} ${wfp.process.pid}`, 'true udp 3936');
  const ecs = n.normalize({ format: 'json-ecs', ref: { file: 'f', record: 1, channel: null, eventId: null }, system: { timeMs: 1 },
    data: { 'event.category': ['process'], 'event.type': ['start'], 'process.pid': 7, 'process.executable': '/bin/bash', 'process.args': ['bash', '-c', 'id'], 'process.parent.executable': '/usr/sbin/nginx', 'user.name': 'www-data', 'host.name': 'web1' } });
  assert.equal(ecs.kind, 'process_start');
  if (ecs.kind === 'process_start') {
    assert.deepEqual([ecs.process.commandLine, ecs.parent.image, ecs.host, ecs.user], ['bash -c id', '/usr/sbin/nginx', 'web1', 'www-data']);
  }
});

test('records no mapping covers become `other` events that keep their fields', () => {
  const ev = n.normalize(rec(...SEC, 5158, { Application: 'x' }));
  assert.equal(ev.kind, 'other');
  assert.equal(ev.raw.Application, 'x');
  assert.equal(ev.host, 'PC1');
});
