import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, projectRoot } from '../helpers/corpus.js';

function sw(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli/main.ts'), ...args], { cwd: projectRoot, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const CASE = corpusPath('sigma', 'regression_data', 'rules', 'windows', 'process_creation', 'proc_creation_win_python_base64_encoded_execution');
const RULE = corpusPath('sigma', 'rules', 'windows', 'process_creation', 'proc_creation_win_python_base64_encoded_execution.yml');

test('rules list --format jsonl: one line per rule with id, title, path, level, status, logsource, loaded, reason', () => {
  const r = sw(['rules', 'list', corpusPath('sigma', 'rules', 'windows', 'process_creation'), '--format', 'jsonl']);
  assert.equal(r.code, 0);
  const rows = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(rows.length > 1000);
  for (const row of rows.slice(0, 50)) assert.deepEqual(Object.keys(row), ['id', 'title', 'path', 'level', 'status', 'logsource', 'loaded', 'reason']);
  assert.ok(rows.every((x) => x.loaded === true || typeof x.reason === 'string'));
});

test('rules test: a rule against its regression events; --expect turns a count mismatch into exit 1', () => {
  const ok = sw(['rules', 'test', RULE, CASE, '--expect', '1']);
  assert.equal(ok.code, 0);
  const a = JSON.parse(ok.out.trim().split('\n')[0]);
  assert.equal(a.rule.source, 'sigma');
  assert.equal(a.rule.id, '50a0aa3d-ab16-4594-a8aa-5145a6e6792b');
  assert.deepEqual(a.rule.techniques, ['T1059.006', 'T1027.010']);
  assert.match(a.reason, /Python One-Liners with Base64 Decoding/);
  assert.equal(sw(['rules', 'test', RULE, CASE, '--expect', '2']).code, 1);
});

test('hunt --rules with --no-builtin raises only Sigma alerts; --status filters them', () => {
  const r = sw(['hunt', CASE, '-q', '--no-summary', '--no-builtin', '-r', RULE]);
  assert.equal(r.code, 0);
  const alerts = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(alerts.length >= 1 && alerts.every((x) => x.rule.source === 'sigma'));
  const none = sw(['hunt', CASE, '-q', '--no-summary', '--no-builtin', '-r', RULE, '--status', 'stable']);
  assert.equal(none.out.trim(), '', 'the rule is status test');
});

test('Sigma rules can ask for ancestors at any depth through AncestorImage', () => {
  const rule = join(projectRoot, 'test', 'fixtures', 'sigma', 'shell-below-web-server.yml');
  const r = sw(['hunt', join(projectRoot, 'test', 'fixtures', 'joins', 'web-shell-sysmon.json'), '-q', '--no-summary', '--no-builtin', '-r', rule]);
  const alerts = r.out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.deepEqual(alerts.map((a) => a.process.image.split('\\').pop()), ['powershell.exe'], 'powershell is two levels below w3wp; cmd is not powershell');
});

test('--placeholders gives expand placeholders their values: the rules that need them load', () => {
  const dir = corpusPath('sigma', 'rules-emerging-threats', '2026', 'Exploits', 'CVE-2026-54121');
  const rows = (args: string[]) => sw(['rules', 'list', dir, '--format', 'jsonl', ...args]).out.trim().split('\n').map((l) => JSON.parse(l));
  const without = rows([]);
  assert.ok(without.some((r) => !r.loaded && /placeholder %known_cdcs%/.test(r.reason)));
  const withValues = rows(['--placeholders', join(projectRoot, 'test', 'fixtures', 'sigma', 'placeholders.yaml')]);
  assert.ok(withValues.every((r) => r.loaded), JSON.stringify(withValues.filter((r) => !r.loaded)));
});
