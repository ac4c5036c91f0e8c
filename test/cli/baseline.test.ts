import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, projectRoot } from '../helpers/corpus.js';

function sw(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli/main.ts'), ...args], { cwd: projectRoot, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const W = corpusPath('otrf-security-datasets', 'datasets', 'atomic', 'windows');

test('baseline learn → show → diff, and hunt --baseline judges every alert and raises rare-shell-usage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-bl-'));
  const a = join(dir, 'a.ndjson'), b = join(dir, 'b.ndjson');
  const l1 = sw(['baseline', 'learn', join(W, 'execution'), '-o', a, '-q']);
  assert.equal(l1.code, 0, l1.err);
  assert.match(l1.err, /learned \d+ process starts/);
  assert.equal(sw(['baseline', 'learn', join(W, 'execution'), '-o', b, '-q']).code, 0);
  assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'), 'same input, same bytes');
  assert.match(sw(['baseline', 'show', a]).out, /process starts/);
  assert.equal(sw(['baseline', 'learn', join(W, 'credential_access'), '-o', b, '--merge', '-q']).code, 0);
  assert.match(sw(['baseline', 'diff', a, b]).out, /\S/);
  const h = sw(['hunt', join(W, 'lateral_movement'), '--baseline', a, '-q', '--no-summary']);
  const alerts = h.out.trim().split('\n').map((x) => JSON.parse(x));
  assert.ok(alerts.some((x) => x.rule.id === 'rare-shell-usage'));
  assert.ok(alerts.filter((x) => x.process.image).every((x) => x.baseline && typeof x.baseline.rarity === 'number'));
  const same = sw(['hunt', join(W, 'execution'), '--baseline', a, '-q', '--no-summary']);
  assert.ok(!same.out.includes('rare-shell-usage'), 'what was normal when learned is not rare');
});

test('a site allowlist suppresses, and --suppressions says which entry suppressed what', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-al-'));
  const file = join(dir, 'site.yaml');
  writeFileSync(file, `entries:
  - id: site-iis-admin-scripts
    description: our IIS admin scripts run cmd from w3wp (test entry)
    detectors: [interactive-shell-from-service, chained-commands]
    image: [cmd]
    parent: [w3wp]
`);
  const base = sw(['hunt', 'samples/windows-sysmon.json', '-q', '--no-summary']);
  const r = sw(['hunt', 'samples/windows-sysmon.json', '--allowlist', file, '--suppressions', '-q']);
  assert.equal(r.code, 0);
  const before = base.out.trim().split('\n').filter((l) => l.includes('WEB01')).length;
  const after = r.out.trim().split('\n').filter((l) => l.includes('WEB01')).length;
  assert.ok(before >= 2 && after === 0, `${before} → ${after}`);
  assert.match(r.err, /site-iis-admin-scripts\s+2/);
  assert.match(r.err, /interactive-shell-from-service\s+1\s+e\.g\. samples\/windows-sysmon\.json#2002/);
});
