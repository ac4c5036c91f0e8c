import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditCut } from '../../../src/ingest/follow/hold.js';
import { decodePosition, encodePosition } from '../../../src/ingest/follow/index.js';
import { auditEvent } from './helpers.js';

test('auditCut: whole events pass; the newest event without EOE is held from its first line', () => {
  const done = Buffer.from(auditEvent(1, true));
  assert.equal(auditCut(done), done.length);
  const open = auditEvent(2, false);
  const buf = Buffer.from(auditEvent(1, true) + open);
  assert.equal(auditCut(buf), done.length);
  assert.equal(auditCut(Buffer.from(open)), 0);
  const other = Buffer.from(auditEvent(1, false) + auditEvent(2, false).split('\n')[0] + '\n');
  assert.equal(auditCut(other), Buffer.byteLength(auditEvent(1, false)), 'a line of another event ends the earlier one');
  const notAudit = Buffer.from(open + 'some other line\n');
  assert.equal(auditCut(notAudit), notAudit.length);
});

test('auditCut: interleaved lines of the newest event are held from its earliest line in view', () => {
  const [a1, a2] = auditEvent(1, false).split('\n');
  const [b1] = auditEvent(2, false).split('\n');
  const buf = Buffer.from(`${a1}\n${b1}\n${a2}\n`);
  assert.equal(auditCut(buf), 0);
});

test('positions: encode/decode round trip; damaged entries read as none', () => {
  const p = { dev: 1, ino: 2, offset: 30, line: 4, size: 50, head: 'ab', headLen: 30 };
  assert.deepEqual(decodePosition(encodePosition(p)), p);
  assert.equal(decodePosition(null), null);
  assert.equal(decodePosition('{not json'), null);
  assert.equal(decodePosition('{"dev":1,"ino":2,"offset":-1,"size":0,"head":"","headLen":0}'), null);
  assert.equal(decodePosition('{"dev":1,"ino":2,"offset":3,"size":3,"head":"","headLen":0}')?.line, 1);
});
