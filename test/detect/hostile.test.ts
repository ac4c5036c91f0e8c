// Hostile input: huge and pathological command lines must be handled in bounded time, never throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinDetectors } from '../../src/detect/builtin/index.js';
import { linuxLine, proc, start, windowsLine } from './helpers.js';

const never = { allowed: () => false };
const CASES = [
  '$('.repeat(20000), '`'.repeat(30000), "'".repeat(30000), '"'.repeat(30000), '^'.repeat(60000),
  '%a:~1,1%'.repeat(8000), 'a && '.repeat(15000), "$'\\x41".repeat(10000), '[char]65+'.repeat(7000),
  'frombase64string("' + 'A'.repeat(60000), '/dev/tcp/'.repeat(7000), 'set x=1&'.repeat(8000),
];

test('pathological command lines finish quickly on every detector', () => {
  for (const c of CASES) {
    const t0 = process.hrtime.bigint();
    const evs = [linuxLine(c), windowsLine(c), start(proc('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', `powershell -enc ${c}`))];
    for (const ev of evs) for (const d of builtinDetectors) d.detect(ev, never);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    // generous bound: catastrophic backtracking would take minutes, not seconds
    assert.ok(ms < 5000, `${c.slice(0, 20)}… took ${ms} ms`);
  }
});
