import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, terminalSafe } from '../../src/cli/output/sanitize.js';

test('CSV cells neutralise formula prefixes and quote per RFC 4180', () => {
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  for (const p of ['+', '-', '@', '\t', '\r']) assert.ok(csvCell(`${p}cmd`).startsWith(`"'`));
  assert.equal(csvCell('cmd /c "a"'), '"cmd /c ""a"""');
  assert.equal(csvCell(null), '""');
  assert.equal(csvCell(42), '"42"');
});

test('terminal text loses escape sequences, control characters and bidi overrides', () => {
  assert.equal(terminalSafe('a\u001b[31mred\u001b[0m b'), 'ared b');
  assert.equal(terminalSafe('x\u001b]0;title\u0007y'), 'xy');
  assert.equal(terminalSafe('evil\u202Egnp.exe'), 'evilgnp.exe');
  assert.equal(terminalSafe('a\r\nb\tc\u0000d\u009b2Je'), 'a b cde');
});
