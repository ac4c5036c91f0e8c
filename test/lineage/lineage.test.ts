import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkEvent, ProcessInfo, ProcessStartEvent, ShellEvent } from '../../src/core/index.js';
import { Lineage } from '../../src/lineage/index.js';
import { ReorderBuffer } from '../../src/pipeline/reorder.js';

let rid = 0;
function start(time: number, process: ProcessInfo, parent: ProcessInfo, host = 'H'): ProcessStartEvent {
  return { kind: 'process_start', time, host, process, parent, event: { file: 'f', record: ++rid, channel: null, eventId: 4688 }, raw: {} };
}
const images = (ev: ProcessStartEvent) => (ev.ancestors ?? []).map((a) => a.image);

test('ancestors are the whole chain the input shows, parent first, with command lines from the table', () => {
  const l = new Lineage();
  const evs = [
    start(1000, { pid: 10, image: 'C:\\w3wp.exe', commandLine: 'w3wp -ap DefaultAppPool' }, { pid: 5, image: 'C:\\svchost.exe' }),
    start(2000, { pid: 11, image: 'C:\\cmd.exe', commandLine: 'cmd /c x' }, { pid: 10, image: 'C:\\w3wp.exe' }),
    start(3000, { pid: 12, image: 'C:\\powershell.exe' }, { pid: 11, image: 'C:\\cmd.exe' }),
  ];
  for (const e of evs) l.process(e, []);
  assert.deepEqual(images(evs[2]), ['C:\\cmd.exe', 'C:\\w3wp.exe', 'C:\\svchost.exe']);
  assert.equal(evs[2].ancestors![1].commandLine, 'w3wp -ap DefaultAppPool');
  assert.equal(evs[2].parent.commandLine, 'cmd /c x', 'parent filled from the table');
});

test('Sysmon guids link processes regardless of pid', () => {
  const l = new Lineage();
  const a = start(1, { pid: 1, guid: '{A}', image: '/usr/sbin/nginx' }, {});
  const b = start(2, { pid: 2, guid: '{B}', image: '/bin/sh' }, { pid: 999, guid: '{a}' });
  l.process(a, []);
  l.process(b, []);
  assert.deepEqual(images(b), ['/usr/sbin/nginx']);
});

test('pid reuse: a child links to the process that held the pid at its start, with a matching name', () => {
  const l = new Lineage();
  l.process(start(1000, { pid: 50, image: 'C:\\winword.exe' }, {}), []);
  l.process({ kind: 'process_end', time: 2000, host: 'H', process: { pid: 50 }, event: { file: 'f', record: 0, channel: null, eventId: 4689 }, raw: {} } as ShellEvent, []);
  l.process(start(60_000, { pid: 50, image: 'C:\\explorer.exe' }, {}), []);
  const child = start(61_000, { pid: 51, image: 'C:\\cmd.exe' }, { pid: 50, image: 'C:\\explorer.exe' });
  l.process(child, []);
  assert.deepEqual(images(child), ['C:\\explorer.exe']);
  const late = start(62_000, { pid: 52, image: 'C:\\cmd.exe' }, { pid: 50, image: 'C:\\winword.exe' });
  l.process(late, []);
  assert.deepEqual(images(late), ['C:\\winword.exe'], 'name mismatch with the live pid holder: not linked to it');
  assert.equal(late.ancestors!.length, 1);
});

test('different hosts never share a table', () => {
  const l = new Lineage();
  l.process(start(1, { pid: 7, image: 'C:\\sqlservr.exe' }, {}, 'A'), []);
  const c = start(2, { pid: 8, image: 'C:\\cmd.exe' }, { pid: 7 }, 'B');
  l.process(c, []);
  assert.deepEqual(c.ancestors, [{ pid: 7 }]);
});

test('network events get the process and its ancestors', () => {
  const l = new Lineage();
  l.process(start(1, { pid: 1, image: '/usr/sbin/apache2' }, {}), []);
  l.process(start(2, { pid: 2, image: '/bin/bash', commandLine: 'bash -i' }, { pid: 1 }), []);
  const net: NetworkEvent = { kind: 'network', time: 3, host: 'H', process: { pid: 2 }, dstIp: '203.0.113.9', dstPort: 4444, event: { file: 'f', record: 9, channel: null, eventId: 3 }, raw: {} };
  l.process(net, []);
  assert.equal(net.process.commandLine, 'bash -i');
  assert.deepEqual(net.ancestors!.map((a) => a.image), ['/usr/sbin/apache2']);
});

test('the table is bounded: the oldest processes are evicted', () => {
  const l = new Lineage({ maxPerHost: 100 });
  for (let i = 0; i < 1000; i++) l.process(start(i, { pid: i, image: 'x' }, { pid: i - 1 }), []);
  assert.equal(l.tables.evicted, 900);
  const last = start(2000, { pid: 5000, image: 'y' }, { pid: 999, image: 'x' });
  l.process(last, []);
  assert.equal(last.ancestors!.length, 32, 'depth is bounded too');
});

test('reorder buffer: a child that arrives before its parent within the window is linked', () => {
  const l = new Lineage();
  const buf = new ReorderBuffer<ShellEvent>(10_000);
  const out: ShellEvent[] = [];
  const child = start(5_000, { pid: 2, image: 'C:\\cmd.exe' }, { pid: 1, image: 'C:\\excel.exe' });
  buf.push(child, out);
  buf.push(start(4_000, { pid: 1, image: 'C:\\excel.exe', commandLine: 'excel /e' }, {}), out);
  buf.push(start(30_000, { pid: 3, image: 'z' }, {}), out);
  assert.equal(out.length, 2);
  buf.flush(out);
  for (const e of out) l.process(e, []);
  assert.deepEqual(out.map((e) => e.time), [4_000, 5_000, 30_000]);
  assert.equal(child.ancestors![0].commandLine, 'excel /e');
});

test('a Sysmon 1 and a 4688 of the same process become one node, keeping the richer fields', () => {
  const l = new Lineage();
  const sec = start(1000, { pid: 0x824, image: 'C:\\Windows\\System32\\cmd.exe', commandLine: 'cmd /c x' }, { pid: 0xf60, image: 'C:\\tomcat9.exe' });
  const sys = start(1400, { pid: 0x824, guid: '{G}', image: 'C:\\Windows\\System32\\cmd.exe', commandLine: 'cmd /c x', cwd: 'C:\\' }, { pid: 0xf60, guid: '{P}', image: 'C:\\tomcat9.exe' });
  l.process(sec, []);
  l.process(sys, []);
  assert.equal(sec.nodeId, sys.nodeId);
  assert.equal(l.tables.merged, 1);
  const child = start(2000, { pid: 9, image: 'C:\\whoami.exe' }, { pid: 1, guid: '{G}' });
  l.process(child, []);
  assert.equal(child.ancestors![0].commandLine, 'cmd /c x', 'the guid from the second source finds the merged node');
  const other = start(9000, { pid: 0x824, image: 'C:\\Windows\\System32\\cmd.exe' }, {});
  l.process(other, []);
  assert.notEqual(other.nodeId, sec.nodeId, 'outside the skew it is a different process (pid reuse)');
});

test('sessions: a 4624 logon joins processes by logon id; well-known service logons; auditd ses/tty', () => {
  const l = new Lineage();
  l.process({ kind: 'logon', time: 1, host: 'H', logonId: '0x1a2', logonType: 10, sourceIp: '198.51.100.4', targetUser: 'CORP\\bob', event: { file: 'f', record: 1, channel: 'Security', eventId: 4624 }, raw: {} } as ShellEvent, []);
  const cmd = start(5, { pid: 3, image: 'C:\\cmd.exe', logonId: '0x1a2' }, { pid: 2 });
  l.process(cmd, []);
  assert.deepEqual(cmd.session, { id: '0x1a2', type: 'remote-interactive', interactive: true, remoteAddress: '198.51.100.4', user: 'CORP\\bob' });
  const svc = start(6, { pid: 4, image: 'C:\\cmd.exe', logonId: '0x3e7' }, { pid: 2 });
  l.process(svc, []);
  assert.deepEqual(svc.session, { id: '0x3e7', type: 'service', interactive: false, user: 'SYSTEM' });
  const sh = start(7, { pid: 5, image: '/bin/bash', sessionId: '42', terminal: 'pts1', loginUser: 'alice' }, { pid: 1 });
  l.process(sh, []);
  assert.deepEqual(sh.session, { id: '42', interactive: true, terminal: 'pts1', user: 'alice' });
  const cron = start(8, { pid: 6, image: '/bin/sh', sessionId: '4294967295', terminal: '(none)' }, { pid: 1 });
  l.process(cron, []);
  assert.equal(cron.session, undefined);
});

test('4104 reassembly: five fragments out of order become one script with every fragment provenance', () => {
  const l = new Lineage();
  const out: ShellEvent[] = [];
  const frag = (n: number, t: number) => ({ kind: 'script_block', time: t, host: 'H', text: `part${n};`, scriptBlockId: '{SB}', messageNumber: n, messageTotal: 5, process: {},
    event: { file: 'ps.evtx', record: 100 + n, channel: 'Microsoft-Windows-PowerShell/Operational', eventId: 4104 }, raw: {} }) as ShellEvent;
  for (const n of [3, 1, 5, 2]) l.process(frag(n, n), out);
  assert.equal(out.length, 0, 'held until complete');
  l.process(frag(4, 4), out);
  assert.equal(out.length, 1);
  const sb = out[0];
  assert.equal(sb.kind === 'script_block' && sb.text, 'part1;part2;part3;part4;part5;');
  assert.deepEqual(sb.kind === 'script_block' && sb.fragments!.map((f) => f.record), [101, 102, 103, 104, 105]);
  assert.equal(sb.kind === 'script_block' && sb.incomplete, undefined);
  const partial: ShellEvent[] = [];
  l.process({ ...frag(2, 10), scriptBlockId: '{OTHER}' } as ShellEvent, partial);
  l.flush(partial);
  assert.equal(partial.length, 1);
  assert.equal(partial[0].kind === 'script_block' && partial[0].incomplete, true);
});

test('a Zeek conn record joins the Sysmon 3 of the same connection: process, ancestors and host', () => {
  const l = new Lineage();
  const out: ShellEvent[] = [];
  l.process(start(1_000, { pid: 2, guid: '{S}', image: 'C:\\Windows\\System32\\cmd.exe', commandLine: 'cmd' }, { pid: 1, image: 'C:\\w3wp.exe' }, 'WEB01'), out);
  const zeek: NetworkEvent = { kind: 'network', time: 2_000, host: 'sensor1', observer: 'network', protocol: 'tcp', srcIp: '10.0.0.5', srcPort: 50000, dstIp: '203.0.113.9', dstPort: 4444,
    process: {}, event: { file: 'conn.log', record: 1, channel: null, eventId: null }, raw: {} };
  l.process(zeek, out);
  assert.ok(!out.includes(zeek), 'held for the join window');
  const sysmon3: NetworkEvent = { kind: 'network', time: 2_300, host: 'WEB01', observer: 'endpoint', protocol: 'tcp', srcIp: '10.0.0.5', srcPort: 50000, dstIp: '203.0.113.9', dstPort: 4444,
    process: { pid: 2, guid: '{S}' }, event: { file: 's.evtx', record: 9, channel: null, eventId: 3 }, raw: {} };
  l.process(sysmon3, out);
  l.flush(out);
  assert.ok(out.includes(zeek));
  assert.equal(zeek.host, 'WEB01');
  assert.equal(zeek.sensor, 'sensor1');
  assert.equal(zeek.process.image, 'C:\\Windows\\System32\\cmd.exe');
  assert.deepEqual(zeek.ancestors!.map((a) => a.image), ['C:\\w3wp.exe']);
  const lone: NetworkEvent = { ...zeek, host: 'sensor1', sensor: undefined, srcPort: 50001, process: {}, ancestors: undefined, time: 500_000 };
  const out2: ShellEvent[] = [];
  l.process(lone, out2);
  l.flush(out2);
  assert.equal(lone.host, 'sensor1', 'no endpoint view: unchanged');
});
