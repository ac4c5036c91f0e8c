// Every join of the lineage stage, end to end through `hunt`, visible in the alert JSON.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/core/index.js';
import { defaultDetectors, hunt } from '../../src/pipeline/index.js';
import { projectRoot } from '../helpers/corpus.js';

const F = (...p: string[]) => join(projectRoot, 'test', 'fixtures', ...p);
async function run(...files: string[]): Promise<Alert[]> {
  const out: Alert[] = [];
  await hunt(files, { detectors: defaultDetectors(), threads: 1 }, (a) => out.push(a));
  return out;
}
const base = (p: string | null) => (p ?? '').split(/[\\/]/).pop();

test('a 4688 and a Sysmon 1 of one process: one alert per rule, with the ancestry Sysmon adds', async () => {
  const alone = await run(F('joins', 'same-process-security.json'));
  const both = await run(F('joins', 'same-process-security.json'), F('joins', 'same-process-sysmon.json'));
  assert.deepEqual(both.map((a) => a.rule.id).sort(), alone.map((a) => a.rule.id).sort());
  const a = both.find((x) => x.rule.id === 'interactive-shell-from-service')!;
  assert.deepEqual(a.ancestors.map((x) => base(x.image)), ['tomcat9.exe', 'services.exe']);
  assert.equal(a.ancestors[0].commandLine, 'tomcat9.exe //RS//Tomcat9');
});

test('a remote-interactive logon joins its session to the user\'s shell', async () => {
  const [a] = await run(F('joins', 'rdp-logon.json'));
  assert.equal(a.rule.id, 'chained-commands');
  assert.deepEqual(a.session, { id: '0x8a3f21', type: 'remote-interactive', interactive: true, remoteAddress: '198.51.100.20', terminal: null, user: 'CORP\\mallory' });
});

test('auditd: web server → shell → reverse connection, with the chain on every alert', async () => {
  const alerts = await run(F('auditd', 'webshell-chain.log'));
  const net = alerts.find((a) => a.rule.id === 'shell-over-reverse-connection' && a.evidence.network);
  assert.ok(net, 'the connect(2) is an alert');
  assert.deepEqual(net.evidence.network, { observer: 'endpoint', protocol: null, src: null, dst: '203.0.113.7:4444' });
  assert.deepEqual(net.ancestors.slice(0, 2).map((x) => base(x.image)), ['dash', 'apache2']);
  assert.ok(alerts.some((a) => a.rule.id === 'interactive-shell-from-service' && base(a.process.image) === 'perl'));
});

test('a Zeek conn record joins the Sysmon 3 of the same connection: process, ancestors, flow evidence', async () => {
  const alerts = await run(F('joins', 'web-shell-sysmon.json'), F('joins', 'web-shell-conn.log'));
  const zeek = alerts.filter((a) => a.event.file.endsWith('web-shell-conn.log'));
  assert.ok(zeek.length >= 1);
  for (const a of zeek) {
    assert.equal(a.host, 'WEB07');
    assert.equal(base(a.process.image), 'powershell.exe');
    assert.deepEqual(a.ancestors.map((x) => base(x.image)), ['cmd.exe', 'w3wp.exe', 'svchost.exe']);
    assert.equal((a.evidence.network as Record<string, unknown>).connectionId, 'CzJ0in1');
    assert.equal((a.evidence.network as Record<string, unknown>).durationMs, 2_710_500);
  }
  const alone = await run(F('joins', 'web-shell-conn.log'));
  assert.ok(alone.every((a) => a.process.image === null), 'without the endpoint view there is no process to name');
});

test('a 4104 script in five fragments out of order is detected once, whole, with every fragment', async () => {
  const alerts = await run(F('joins', 'split-scriptblock.json'));
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].rule.id, 'encoded-obfuscated-cli');
  assert.deepEqual((alerts[0].evidence.fragments as { record: number }[]).map((f) => f.record), [801, 802, 803, 804, 805]);
});

test('auditd: an ssh login gives the session\'s shells their remote address and terminal', async () => {
  const [a] = await run(F('joins', 'ssh-session.log'));
  assert.equal(a.rule.id, 'chained-commands');
  assert.deepEqual(a.session, { id: '7', type: 'ssh', interactive: true, remoteAddress: '198.51.100.30', terminal: 'pts1', user: '1000' });
});
