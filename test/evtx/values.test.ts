// Unit tests for every binary XML value type's rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filetimeMs, renderArray, renderScalar, ValueType as T } from '../../src/ingest/evtx/index.js';

const r = (type: number, bytes: Buffer | number[]): string => {
  const b = Buffer.from(bytes);
  return renderScalar(b, type, 0, b.length);
};
const le = (n: bigint, w: number): Buffer => {
  const b = Buffer.alloc(w);
  for (let i = 0; i < w; i++) b[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return b;
};

test('strings: UTF-16LE with trailing NULs dropped, surrogates kept, ANSI as latin1', () => {
  assert.equal(r(T.String, Buffer.from('cmd.exe /c whoami\0', 'utf16le')), 'cmd.exe /c whoami');
  assert.equal(r(T.String, Buffer.from('a😀b\r\nc', 'utf16le')), 'a😀b\r\nc');
  assert.equal(r(T.String, Buffer.from('x'.repeat(40) + '\n' + 'y', 'utf16le')), 'x'.repeat(40) + '\ny');
  assert.equal(r(T.String, []), '');
  assert.equal(r(T.Ansi, Buffer.from('caf\xe9\0', 'latin1')), 'café');
});

test('integers of every width, signed and unsigned, in decimal', () => {
  assert.equal(r(T.Int8, [0xff]), '-1');
  assert.equal(r(T.UInt8, [0xff]), '255');
  assert.equal(r(T.Int16, [0x00, 0x80]), '-32768');
  assert.equal(r(T.UInt16, [0x00, 0x80]), '32768');
  assert.equal(r(T.Int32, le(-5n & 0xffffffffn, 4)), '-5');
  assert.equal(r(T.UInt32, le(4294967295n, 4)), '4294967295');
  assert.equal(r(T.Int64, le(-2n & 0xffffffffffffffffn, 8)), '-2');
  assert.equal(r(T.UInt64, le(18446744073709551615n, 8)), '18446744073709551615');
  assert.equal(r(T.UInt64, le(4660n, 8)), '4660');
});

test('hex integers and size types as 0x with lower-case digits, no padding (Windows style)', () => {
  assert.equal(r(T.HexInt32, le(0x1410n, 4)), '0x1410');
  assert.equal(r(T.HexInt64, le(0x3e7n, 8)), '0x3e7');
  assert.equal(r(T.HexInt64, le(0x8000000000000000n, 8)), '0x8000000000000000');
  assert.equal(r(T.HexInt64, le(0x100000000n, 8)), '0x100000000');
  assert.equal(r(T.SizeT, le(0x7ffe0000n, 8)), '0x7ffe0000');
  assert.equal(r(T.SizeT, le(0x590000n, 4)), '0x590000');
});

test('floats, booleans, binary', () => {
  const f = Buffer.alloc(4);
  f.writeFloatLE(1.5);
  assert.equal(r(T.Real32, f), '1.5');
  const d = Buffer.alloc(8);
  d.writeDoubleLE(-0.25);
  assert.equal(r(T.Real64, d), '-0.25');
  assert.equal(r(T.Bool, [1, 0, 0, 0]), 'true');
  assert.equal(r(T.Bool, [0, 0, 0, 0]), 'false');
  assert.equal(r(T.Binary, [0xde, 0xad, 0x0b]), 'DEAD0B');
});

test('GUIDs upper-case in braces, first three fields little-endian', () => {
  const g = Buffer.from('5F3870579A2CE043BF4C06F5698FFBD9', 'hex');
  assert.equal(r(T.Guid, g), '{5770385F-2C9A-43E0-BF4C-06F5698FFBD9}');
});

test('SIDs as S-1-…', () => {
  assert.equal(r(T.Sid, [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]), 'S-1-5-18');
  const sid = Buffer.from([1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, ...le(1004336348n, 4), ...le(1177238915n, 4), ...le(682003330n, 4), ...le(512n, 4)]);
  assert.equal(r(T.Sid, sid), 'S-1-5-21-1004336348-1177238915-682003330-512');
});

test('FILETIME and SYSTEMTIME as ISO 8601 UTC', () => {
  const ft = le(132086003543755654n, 8); // 2019-07-26T07:39:14.3755654Z
  assert.equal(r(T.FileTime, ft), '2019-07-26T07:39:14.3755654Z');
  assert.equal(filetimeMs(ft, 0), Date.UTC(2019, 6, 26, 7, 39, 14, 375));
  const st = Buffer.alloc(16);
  [2021, 6, 4, 10, 14, 12, 46, 41].forEach((n, i) => st.writeUInt16LE(n, i * 2));
  assert.equal(r(T.SysTime, st), '2021-06-10T14:12:46.041Z');
});

test('short values of fixed-size types fall back to hex instead of reading past the value', () => {
  assert.equal(r(T.UInt32, [1, 2]), '0102');
  assert.equal(r(T.Guid, [1, 2, 3]), '010203');
});

test('arrays: strings split at NULs, fixed-size items one by one', () => {
  const s = Buffer.from('one\0two\0\0three\0', 'utf16le');
  assert.deepEqual(renderArray(s, T.String | 0x80, 0, s.length), ['one', 'two', '', 'three']);
  const u = Buffer.concat([le(1n, 4), le(4294967295n, 4)]);
  assert.deepEqual(renderArray(u, T.UInt32 | 0x80, 0, u.length), ['1', '4294967295']);
  const h = le(0xffn, 8);
  assert.deepEqual(renderArray(h, T.HexInt64 | 0x80, 0, 8), ['0xff']);
  const a = Buffer.from('ab\0cd', 'latin1');
  assert.deepEqual(renderArray(a, T.Ansi | 0x80, 0, a.length), ['ab', 'cd']);
});
