// The syslog message parser against the examples of RFC 5424 (section 6.5) and RFC 3164 (section 5.4),
// and the layouts rsyslog's forwarding templates write (seen from a real rsyslogd 8.2302, see
// rsyslog.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSyslog } from '../../../src/ingest/syslog/parse.js';

const NOW = Date.UTC(2023, 10, 20, 12, 0, 0); // 2023-11-20

test('RFC 5424 example 1: no STRUCTURED-DATA, BOM before MSG', () => {
  const m = parseSyslog("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8", NOW);
  assert.deepEqual(m, {
    form: 'rfc5424', pri: 34, facility: 4, severity: 2, timestamp: '2003-10-11T22:14:15.003Z', timeMs: Date.UTC(2003, 9, 11, 22, 14, 15, 3),
    host: 'mymachine.example.com', app: 'su', msgid: 'ID47', structuredData: [], msg: "'su root' failed for lonvick on /dev/pts/8",
  });
});

test('RFC 5424 example 2: microseconds and a -07:00 offset, PROCID, no MSGID', () => {
  const m = parseSyslog("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.", NOW);
  assert.equal(m.timeMs, Date.UTC(2003, 7, 24, 12, 14, 15, 0));
  assert.equal(m.host, '192.0.2.1');
  assert.equal(m.app, 'myproc');
  assert.equal(m.procid, '8710');
  assert.equal(m.msgid, undefined);
  assert.equal(m.msg, "%% It's time to make the do-nuts.");
});

test('RFC 5424 examples 3 and 4: STRUCTURED-DATA elements, with and without MSG', () => {
  const m = parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...', NOW);
  assert.deepEqual(m.structuredData, [{ id: 'exampleSDID@32473', params: [['iut', '3'], ['eventSource', 'Application'], ['eventID', '1011']] }]);
  assert.equal(m.msg, 'An application event log entry...');
  const n = parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]', NOW);
  assert.deepEqual(n.structuredData.map((e) => e.id), ['exampleSDID@32473', 'examplePriority@32473']);
  assert.equal(n.msg, '');
});

test('RFC 5424 SD-PARAM escapes: \\" \\\\ \\] are unescaped, any other backslash is kept', () => {
  const m = parseSyslog('<13>1 - host app - - [x@1 a="q\\"uote" b="back\\\\slash" c="br\\]acket" d="keep\\n"] msg', NOW);
  assert.deepEqual(m.structuredData[0].params, [['a', 'q"uote'], ['b', 'back\\slash'], ['c', 'br]acket'], ['d', 'keep\\n']]);
  assert.equal(m.timeMs, undefined);
  assert.equal(m.msg, 'msg');
});

test('RFC 5424 with a broken header is not lost: it is read as MSG', () => {
  const m = parseSyslog('<13>1 2003-13-45T99:00:00Z host app - - - text', NOW);
  assert.notEqual(m.form, 'rfc5424');
  assert.match(m.msg, /text$/);
  const unterminated = parseSyslog('<13>1 - host app - - [x@1 a="open] rest', NOW);
  assert.notEqual(unterminated.form, 'rfc5424');
  assert.match(unterminated.msg, /rest$/);
});

test('RFC 3164 examples: PRI, Mmm dd hh:mm:ss, HOST, TAG; year is the one closest to now', () => {
  const m = parseSyslog("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", NOW);
  assert.deepEqual(m, {
    form: 'rfc3164', pri: 34, facility: 4, severity: 2, timestamp: 'Oct 11 22:14:15', timeMs: Date.UTC(2023, 9, 11, 22, 14, 15),
    host: 'mymachine', app: 'su', structuredData: [], msg: "'su root' failed for lonvick on /dev/pts/8",
  });
  const dec = parseSyslog('<13>Dec 31 23:59:59 h a: x', Date.UTC(2024, 0, 1, 0, 0, 5));
  assert.equal(dec.timeMs, Date.UTC(2023, 11, 31, 23, 59, 59), 'a December line read on 1 January is last year');
  const jan = parseSyslog('<13>Jan  1 00:00:01 h a: x', Date.UTC(2023, 11, 31, 23, 59, 0));
  assert.equal(jan.timeMs, Date.UTC(2024, 0, 1, 0, 0, 1), 'a sender clock slightly ahead over new year');
});

test('RFC 3164 variants: no PRI, TAG[pid], no HOST (local sender), a year, no timestamp', () => {
  const a = parseSyslog('Nov  4 01:02:03 web01 cron[123]: (root) CMD (run-parts)', NOW);
  assert.equal(a.pri, undefined);
  assert.deepEqual([a.host, a.app, a.procid, a.msg], ['web01', 'cron', '123', '(root) CMD (run-parts)']);
  const b = parseSyslog('<13>Nov  4 01:02:03 sshd[99]: Accepted publickey', NOW);
  assert.deepEqual([b.host, b.app, b.procid, b.msg], [undefined, 'sshd', '99', 'Accepted publickey']);
  const c = parseSyslog('<13>Nov  4 2021 01:02:03 h app: x', NOW);
  assert.equal(c.timeMs, Date.UTC(2021, 10, 4, 1, 2, 3));
  const d = parseSyslog('<13>just a message', NOW);
  assert.deepEqual([d.form, d.pri, d.msg], ['none', 13, 'just a message']);
  const e = parseSyslog('<999>Nov  4 01:02:03 h a: x', NOW);
  assert.equal(e.pri, undefined, 'PRI above 191 is not a PRI');
});

test('rsyslog templates: SyslogProtocol23 (trailing LF), ForwardFormat (RFC 3339 in 3164), traditional', () => {
  const p23 = parseSyslog('<133>1 2023-11-14T22:13:20.651947+00:00 vm audispd - - - type=EOE msg=audit(1.0:5): \n', NOW);
  assert.deepEqual([p23.form, p23.host, p23.app, p23.msg], ['rfc5424', 'vm', 'audispd', 'type=EOE msg=audit(1.0:5): ']);
  assert.equal(p23.timeMs, Date.UTC(2023, 10, 14, 22, 13, 20, 651));
  const fwd = parseSyslog('<133>2023-11-14T22:13:20.651957+01:00 vm audispd: hello world', NOW);
  assert.deepEqual([fwd.form, fwd.host, fwd.app, fwd.msg, fwd.timeMs], ['rfc3164', 'vm', 'audispd', 'hello world', Date.UTC(2023, 10, 14, 21, 13, 20, 651)]);
  const trad = parseSyslog('<133>Nov 14 22:13:20 vm audispd: hello world', NOW);
  assert.deepEqual([trad.form, trad.host, trad.app, trad.msg], ['rfc3164', 'vm', 'audispd', 'hello world']);
});

test('hostile input: long and odd headers never throw and never lose the text', () => {
  for (const t of ['', '<', '<1', '<13>1', '<13>1 ', '[', '<13>1 - - - - - [', '<13>Nov 99 99:99:99 h a: x', 'x'.repeat(100_000), '<13>1 - h a - - ' + '['.repeat(10_000)]) {
    const m = parseSyslog(t, NOW);
    assert.ok(typeof m.msg === 'string');
  }
  const bad = parseSyslog('<13>Nov 99 99:99:99 h a: x', NOW);
  assert.equal(bad.timeMs, undefined);
});
