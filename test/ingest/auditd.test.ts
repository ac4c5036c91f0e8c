import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { RawRecord, ShellEvent } from '../../src/core/index.js';
import { auditdSource, readAuditd } from '../../src/ingest/auditd/index.js';
import { decodeSockaddr } from '../../src/ingest/auditd/decode.js';
import { DEFAULT_LIMITS, type AssembleLimits } from '../../src/ingest/auditd/assemble.js';
import { readAll } from '../../src/ingest/read.js';
import type { ReadResult } from '../../src/ingest/source.js';
import { Normalizer } from '../../src/normalize/index.js';
import { corpusPath, hasCorpus, projectRoot } from '../helpers/corpus.js';

const n = new Normalizer();
async function read(text: string | Buffer, limits: AssembleLimits = DEFAULT_LIMITS): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  for await (const b of readAuditd({ name: 't.log', open: () => Readable.from([buf]) }, limits)) out.push(...b);
  return out;
}
const recs = (r: ReadResult[]) => r.filter((x) => x.record).map((x) => x.record!);
const codes = (r: ReadResult[]) => r.filter((x) => x.diagnostic).map((x) => `${x.diagnostic!.code}@${x.diagnostic!.location?.line}`);
const fixture = (f: string) => readFileSync(`${projectRoot}/test/fixtures/auditd/${f}`);
const SC = (id: string, rest = '') => `type=SYSCALL msg=audit(${id}): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=10 pid=11 auid=1000 uid=0 gid=0 euid=0 tty=pts1 ses=3 comm="x" exe="/bin/x" key=(null)${rest}`;

test('sniff: audit lines score high, syslog-wrapped too; JSON and prose do not', () => {
  assert.ok(auditdSource.sniff(fixture('webshell-chain.log'), 'audit.log') >= 0.95);
  assert.ok(auditdSource.sniff(fixture('webshell-chain.syslog'), 'messages') >= 0.9);
  assert.equal(auditdSource.sniff(Buffer.from('{"type":"SYSCALL"}\n'), 'a.json'), 0);
  assert.equal(auditdSource.sniff(Buffer.from('hello world\n'), 'a.log'), 0);
});

test('fixture: web server → sh → perl reverse shell → connect, and an accept, become typed events', async () => {
  const r = await read(fixture('webshell-chain.log'));
  assert.deepEqual(codes(r), []);
  const ev = recs(r).map((x) => n.normalize(x));
  assert.deepEqual(ev.map((e) => e.mapping), ['auditd-execve', 'auditd-execve', 'auditd-execve', 'auditd-connect', 'auditd-accept']);
  const sh = ev[1] as Extract<ShellEvent, { kind: 'process_start' }>;
  assert.deepEqual(sh.process, { pid: 901, image: '/usr/bin/dash', commandLine: "sh -c 'id; uname -a'", cwd: '/var/www/html', user: 'www-data' });
  assert.deepEqual(sh.parent, { pid: 800 });
  assert.equal(sh.raw.key, 'webshell');
  const perl = ev[2] as Extract<ShellEvent, { kind: 'process_start' }>;
  assert.match(perl.process.commandLine!, /^perl -e 'use Socket;\$i="203\.0\.113\.7";.*exec\("\/bin\/sh -i"\);'$/, 'split a2[0]/a2[1] pieces joined and quoted');
  const conn = ev[3] as Extract<ShellEvent, { kind: 'network' }>;
  assert.deepEqual([conn.process.pid, conn.initiated, conn.observer, conn.dstIp, conn.dstPort], [902, true, 'endpoint', '203.0.113.7', 4444]);
  const acc = ev[4] as Extract<ShellEvent, { kind: 'network' }>;
  assert.deepEqual([acc.initiated, acc.srcIp, acc.srcPort, acc.process.image], [false, '2001:db8::1', 55000, '/usr/sbin/sshd']);
});

test('syslog-forwarded records without EOE assemble the same events, host from node= or the syslog header', async () => {
  const a = recs(await read(fixture('webshell-chain.log')));
  const b = recs(await read(fixture('webshell-chain.syslog')));
  assert.equal(b.length, a.length);
  assert.deepEqual(b.map((x) => x.system.computer), Array(5).fill('web01'));
  for (let i = 0; i < a.length; i++) {
    const { node: _n, ...db } = b[i].data;
    assert.deepEqual(db, a[i].data, `event ${i}`);
  }
});

test('terminal, session and login user come from tty/ses/auid; unset values are left out', async () => {
  const [e] = recs(await read(`${SC('1.000:1')}\ntype=EXECVE msg=audit(1.000:1): argc=2 a0="x" a1="it's"\n`)).map((x) => n.normalize(x));
  assert.equal(e.kind, 'process_start');
  if (e.kind !== 'process_start') return;
  assert.deepEqual(e.process, { pid: 11, image: '/bin/x', commandLine: `x 'it'\\''s'`, user: '0', terminal: 'pts1', sessionId: '3', loginUser: '1000' });
  const [u] = recs(await read(SC('1.000:2').replace('tty=pts1 ses=3', 'tty=(none) ses=4294967295').replace('auid=1000', 'auid=4294967295'))).map((x) => n.normalize(x));
  if (u.kind !== 'process_start') return assert.fail('process_start');
  assert.deepEqual([u.process.terminal, u.process.sessionId, u.process.loginUser], [undefined, undefined, undefined]);
});

test('interleaved events without EOE finish by the 2 s window and the open-event bound; no record is lost', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 5; i++) lines.push(SC(`100.000:${i}`));
  for (let i = 0; i < 5; i++) lines.push(`type=CWD msg=audit(100.000:${i}): cwd="/d${i}"`);
  lines.push(SC('103.000:9'));
  const batches: ReadResult[][] = [];
  for await (const b of readAuditd({ name: 't', open: () => Readable.from(lines.map((l) => Buffer.from(l + '\n'))) })) batches.push(b);
  const first = batches.flat().filter((x) => x.record).slice(0, 5).map((x) => [x.record!.data.id, x.record!.data.cwd]);
  assert.deepEqual(first, [0, 1, 2, 3, 4].map((i) => [`100.000:${i}`, `/d${i}`]), 'finished by the window, complete, in order');
  assert.ok(batches.length > 1, 'emitted before the end of input');
  const r = recs(await read(lines.join('\n'), { ...DEFAULT_LIMITS, maxOpen: 3 }));
  assert.deepEqual(r.slice(0, 2).map((x) => [x.data.id, x.data.cwd]), [['100.000:0', undefined], ['100.000:1', undefined]], 'count bound');
  assert.equal(r.filter((x) => x.data.cwd).length, 5, 'late records still emitted as fragments');
});

test('bad input: malformed record SW1012, non-audit line SW1009, cut last line SW1008, each located', async () => {
  const r = await read(`${SC('1.000:1')}\ntype=SYSCALL msg=audit(garbage): x=1\nhello there\ntype=PATH msg=audit(1.000:`);
  assert.deepEqual(codes(r), ['SW1012@2', 'SW1009@3', 'SW1008@4']);
  assert.equal(recs(r).length, 1);
});

test('bounds: an over-long line is SW1006, too many records for one event SW1013, argv capped', async () => {
  const long = `type=EXECVE msg=audit(1.000:1): argc=1 a0=${'41'.repeat(200_000)}`;
  const r1 = await read(`${SC('1.000:1')}\n${long}\n${SC('1.000:2')}\n`);
  assert.deepEqual(codes(r1), ['SW1006@2']);
  assert.equal(recs(r1).length, 2);
  const many = [SC('1.000:1'), ...Array.from({ length: 20 }, (_, i) => `type=PATH msg=audit(1.000:1): item=${i} name="/p${i}"`)].join('\n');
  const r2 = await read(many, { ...DEFAULT_LIMITS, maxRecords: 5 });
  assert.deepEqual(codes(r2), ['SW1013@1']);
  assert.equal(recs(r2)[0].data.records_dropped, 16);
  const r3 = recs(await read(`${SC('1.000:1')}\ntype=EXECVE msg=audit(1.000:1): argc=999999999 a0="x"`));
  assert.equal(r3[0].data.argv_truncated, true, 'argc beyond the bound, and the missing arguments, mark argv truncated');
  assert.ok((r3[0].data.argv as string[]).length <= 4096);
});

test('hostile field names and values stay data: __proto__, quotes, control bytes in hex', async () => {
  const [rec] = recs(await read(`${SC('1.000:1', ' __proto__=x')}\ntype=PROCTITLE msg=audit(1.000:1): proctitle=${Buffer.from('a\u001b[31mb\0c').toString('hex')}\n`));
  assert.equal(Object.getPrototypeOf(rec.data), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(rec.data, '__proto__')?.value, 'x');
  assert.equal(rec.data.proctitle, 'a\u001b[31mb c');
});

test('kernel printk form, node= prefix, multiple rule keys, big-endian and unix sockaddrs', async () => {
  const [k] = recs(await read(`Jan  1 00:00:00 h1 kernel: [12.3] audit: type=1300 audit(5.250:7): arch=c000003e syscall=42 success=yes exit=0 a0=3 a1=1 a2=2 a3=3 items=0 ppid=1 pid=2 auid=0 uid=0 comm="nc" exe="/bin/nc" key=65786563013634626974\nJan  1 00:00:00 h1 kernel: [12.3] audit: type=1306 audit(5.250:7): saddr=02000050C0A80001\n`));
  assert.deepEqual([k.system.computer, k.system.timeMs, k.data.key, k.data.saddr_addr, k.data.saddr_port], ['h1', 5250, ['exec', '64bit'], '192.168.0.1', 80]);
  assert.deepEqual(decodeSockaddr('0002D903000000000000000000000000', false), { family: 'inet', addr: '0.0.0.0', port: 55555 });
  assert.deepEqual(decodeSockaddr('01002F746D702F73006162', true), { family: 'local', path: '/tmp/s' });
  const [u] = recs(await read(`node=a type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=42 success=yes exit=0 a0=1 a1=1 a2=1 a3=1 pid=2 ppid=1 uid=0 exe="/x"\nnode=a type=SOCKADDR msg=audit(1.000:1): saddr=01002F746D702F7300\n`)).map((x) => n.normalize(x));
  assert.equal(u.kind, 'other', 'unix-socket connects are not network events');
});

test('OTRF Linux zips: every record is read and hunted into process starts', { skip: !hasCorpus }, async () => {
  const kinds: Record<string, number> = {};
  let diags = 0;
  for await (const item of readAll([corpusPath('otrf-security-datasets', 'datasets', 'atomic', 'linux')])) {
    if ('diagnostic' in item) { diags++; continue; }
    for (const r of item.results) {
      if (r.diagnostic) diags++;
      else kinds[n.normalize(r.record as RawRecord).kind] = (kinds[n.normalize(r.record as RawRecord).kind] ?? 0) + 1;
    }
  }
  assert.equal(diags, 0);
  assert.deepEqual(kinds, { process_start: 3 });
});
