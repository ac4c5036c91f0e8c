// TCP framing (RFC 6587): LF and octet counting, detection, size limits, resync, offsets, chunking.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrame, Framer, type FrameResult } from '../../../src/ingest/syslog/framing.js';

/** Frames of `input` pushed in chunks of `chunk` bytes, then end of connection. */
function frame(input: string | Buffer, chunk = 1 << 20, max?: number): { frames: string[]; offsets: number[]; errors: string[]; framer: Framer } {
  const f = new Framer(max);
  const b = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const out: FrameResult[] = [];
  for (let i = 0; i < b.length; i += chunk) f.push(b.subarray(i, i + chunk), out);
  f.end(out);
  return {
    frames: out.filter((r) => r.frame).map((r) => r.frame!.bytes.toString()),
    offsets: out.filter((r) => r.frame).map((r) => r.frame!.offset),
    errors: out.filter((r) => r.error).map((r) => `${r.error!.code}@${r.error!.offset}${r.error!.fatal ? '!' : ''}`),
    framer: f,
  };
}

test('LF framing: frames, CRLF, empty lines, a last frame without LF, offsets in the connection', () => {
  const r = frame('<13>a\r\n\n<13>bb\n<13>c');
  assert.deepEqual(r.frames, ['<13>a', '<13>bb', '<13>c']);
  assert.deepEqual(r.offsets, [0, 8, 15]);
  assert.equal(r.framer.mode, 'lf');
});

test('octet counting: detected from `LEN SP`, frames may hold LF, LF between frames is tolerated', () => {
  const a = '<13>1 - h a - - - x\ny';
  const r = frame(`${Buffer.byteLength(a)} ${a}\n3 abc`);
  assert.equal(r.framer.mode, 'octet');
  assert.deepEqual(r.frames, [a, 'abc']);
  assert.deepEqual(r.offsets, [3, 27]);
  assert.deepEqual(r.errors, []);
});

test('every chunking gives the same frames (1-byte chunks included)', () => {
  const msgs = ['<13>1 - h a - - - één', '<13>Nov  4 01:02:03 h a: x', '{"a":1}'];
  const counted = msgs.map((m) => `${Buffer.byteLength(m)} ${m}`).join('');
  const lf = msgs.join('\n') + '\n';
  for (const chunk of [1, 2, 3, 7, 64]) {
    assert.deepEqual(frame(counted, chunk).frames, msgs, `octet, chunk ${chunk}`);
    assert.deepEqual(frame(lf, chunk).frames, msgs, `lf, chunk ${chunk}`);
  }
});

test('a line that starts with digits but no `LEN SP` is LF framing (ISO timestamp, no PRI)', () => {
  const r = frame('2023-11-14T22:13:20Z h a: x\n');
  assert.equal(r.framer.mode, 'lf');
  assert.deepEqual(r.frames, ['2023-11-14T22:13:20Z h a: x']);
});

test('LF: an oversize line is SW6003, skipped to its LF; the connection goes on', () => {
  for (const chunk of [5, 1 << 20]) {
    const r = frame(`<13>ok\n<13>${'x'.repeat(100)}\n<13>after\n`, chunk, 32);
    assert.deepEqual(r.frames, ['<13>ok', '<13>after'], `chunk ${chunk}`);
    assert.deepEqual(r.errors, ['SW6003@7'], `chunk ${chunk}`);
    assert.equal(r.framer.broken, false);
  }
});

test('octet: an oversize frame is SW6003 and skipped by its count; a bad count is fatal SW6009', () => {
  const big = 'y'.repeat(100);
  for (const chunk of [3, 1 << 20]) {
    const r = frame(`2 ok100 ${big}5 after`, chunk, 32);
    assert.deepEqual(r.frames, ['ok', 'after'], `chunk ${chunk}`);
    assert.deepEqual(r.errors, ['SW6003@4'], `chunk ${chunk}`);
  }
  const bad = frame('2 okXX garbage\n3 abc');
  assert.deepEqual(bad.frames, ['ok']);
  assert.deepEqual(bad.errors, ['SW6009@4!']);
  assert.equal(bad.framer.broken, true);
  assert.deepEqual(frame('3 abc0 ').errors, ['SW6009@5!'], 'a zero length is not a count');
  assert.deepEqual(frame('3 abc12345678901 x').errors, ['SW6009@5!'], 'an endless digit run is not a count');
});

test('octet: the connection closing inside a frame is SW6009; the buffer never exceeds one frame', () => {
  const r = frame('10 abc');
  assert.deepEqual(r.errors, ['SW6009@0!']);
  const f = new Framer(1000);
  const out: FrameResult[] = [];
  f.push(Buffer.from('999 '), out);
  for (let i = 0; i < 100; i++) f.push(Buffer.alloc(9, 0x61), out);
  assert.ok(f.buffered <= 1004);
  const lf = new Framer(1000);
  for (let i = 0; i < 1000; i++) lf.push(Buffer.alloc(100, 0x61), out);
  assert.ok(lf.buffered <= 1100, `LF buffer stays bounded (${lf.buffered})`);
});

test('decodeFrame: valid UTF-8 decodes, invalid bytes are refused', () => {
  assert.equal(decodeFrame(Buffer.from('héllo')), 'héllo');
  assert.equal(decodeFrame(Buffer.from([0x3c, 0x31, 0x3e, 0xff, 0xfe])), undefined);
});
