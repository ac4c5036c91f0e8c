// The allowlist loader and glob: shipped file is valid, globs cannot be extended with another command.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { globMatch } from '../../src/detect/builtin/glob.js';
import { allowlistContext, loadAllowlist, shippedAllowlistDiagnostics, shippedAllowlist } from '../../src/detect/builtin/index.js';
import { proc, start } from './helpers.js';

test('shipped allowlist loads without diagnostics', () => {
  assert.deepEqual(shippedAllowlistDiagnostics, []);
  assert.ok(shippedAllowlist.length >= 8);
});

test('glob: * never crosses chaining metacharacters', () => {
  assert.ok(globMatch('/bin/sh -c debian-sa1 *', '/bin/sh -c debian-sa1 1 1'));
  assert.ok(!globMatch('/bin/sh -c debian-sa1 *', '/bin/sh -c debian-sa1 1 1; curl x|sh'));
  assert.ok(!globMatch('/bin/sh -c debian-sa1 *', '/bin/sh -c debian-sa1 $(id)'));
});

test('invalid files and entries become SW4004 diagnostics; valid entries still load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'allow-'));
  writeFileSync(join(dir, 'a.yaml'), 'entries:\n  - id: ok\n    detectors: ["*"]\n    image: [sh]\n    parent: [backupd]\n  - id: bad\n');
  writeFileSync(join(dir, 'b.yaml'), 'entries: [');
  const list = loadAllowlist(dir);
  assert.equal(list.entries.length, 1);
  assert.deepEqual(list.diagnostics.map((d) => d.code), ['SW4004', 'SW4004']);
  const ctx = allowlistContext(list);
  assert.equal(ctx.allowed('chained-commands', start(proc('/bin/sh', 'sh -c x'), proc('/usr/sbin/backupd'))), true);
  assert.equal(ctx.suppressed.get('ok'), 1);
});
