import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, projectRoot } from '../helpers/corpus.js';

function sw(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli/main.ts'), ...args], { cwd: projectRoot, input, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--help and --version exit 0; usage errors exit 2', () => {
  const h = sw(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.out + h.err, /hunt/);
  assert.equal(sw(['--version']).code, 0);
  assert.equal(sw(['hunt']).code, 2, 'missing paths');
  assert.equal(sw(['hunt', 'samples', '--format', 'xml']).code, 2, 'bad choice');
  assert.equal(sw(['frobnicate']).code, 2, 'unknown command');
});

test('hunt writes JSON lines when not on a terminal, and a summary on stderr', () => {
  const r = sw(['hunt', 'samples', '--quiet']);
  assert.equal(r.code, 0);
  const alerts = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(alerts.length > 0);
  for (const a of alerts) assert.deepEqual(Object.keys(a), ['rule', 'time', 'host', 'user', 'process', 'parent', 'ancestors', 'session', 'baseline', 'reason', 'decoded', 'event', 'evidence']);
  assert.match(r.err, /events by kind:/);
  assert.match(r.err, /alerts by rule:/);
});

test('--min-level filters, --output writes a file, csv has a header and neutralised cells', () => {
  const all = sw(['hunt', 'samples', '-q', '--no-summary']).out.trim().split('\n').length;
  const high = sw(['hunt', 'samples', '-q', '--no-summary', '--min-level', 'high']).out.trim().split('\n').filter(Boolean);
  assert.ok(high.length < all);
  for (const l of high) assert.ok(['high', 'critical'].includes(JSON.parse(l).rule.level));
  const dir = mkdtempSync(join(tmpdir(), 'sw-cli-'));
  const out = join(dir, 'a.csv');
  const r = sw(['hunt', 'samples', '-q', '--no-summary', '--format', 'csv', '--output', out]);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  const csv = readFileSync(out, 'utf8');
  assert.ok(csv.startsWith('time,level,rule_id,'));
  assert.equal(csv.trim().split('\n').length, all + 1);
});

test('stdin is read with -, bad records become diagnostics and the run goes on', () => {
  const good = JSON.stringify({ EventID: 4688, Channel: 'Security', SourceName: 'Microsoft-Windows-Security-Auditing', Hostname: 'h', '@timestamp': '2026-01-01T00:00:00Z',
    NewProcessId: '0x10', NewProcessName: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe /c whoami', ProcessId: '0x20', ParentProcessName: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE' });
  const second = good.replace('"NewProcessId":"0x10"', '"NewProcessId":"0x11"');
  const r = sw(['hunt', '-', '--no-summary'], `${good}\n{"broken":\n${second}\n`);
  assert.equal(r.code, 0);
  assert.equal(r.out.trim().split('\n').filter((l) => l.includes('unusual-shell-execution')).length, 2);
  assert.match(r.err, /-:2 \(offset \d+\): SW1003 error: malformed JSON/);
});

test('events prints one line per record with provenance, normalized or raw', () => {
  const r = sw(['events', 'samples/windows-security.jsonl.gz']);
  assert.equal(r.code, 0);
  const evs = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(evs.length, 6);
  assert.deepEqual(evs.map((e) => e.event.record), [5001, 5002, 5003, 5004, 5005, 5006]);
  assert.equal(evs[2].kind, 'task_created');
  assert.match(evs[2].command, /cmd\.exe \/c powershell/);
  assert.ok(evs.every((e) => e.raw && e.event.file === 'samples/windows-security.jsonl.gz'));
});

test('a missing path is a diagnostic, not a crash', () => {
  const r = sw(['hunt', 'no/such/file.json', '--no-summary']);
  assert.equal(r.code, 0);
  assert.match(r.err, /SW1001/);
});

test('hunt --threads N writes the same JSON lines for 2 and 3 workers, to stdout and to a file, and csv with them', () => {
  const folder = corpusPath('evtx-attack-samples');
  const two = sw(['hunt', folder, '--threads', '2', '-q', '--no-summary']);
  assert.equal(two.code, 0, two.err);
  const lines = two.out.trim().split('\n');
  assert.ok(lines.length > 10);
  for (const l of lines) assert.ok(JSON.parse(l).rule.id);
  const dir = mkdtempSync(join(tmpdir(), 'sw-cli-'));
  const file = join(dir, 'three.jsonl');
  assert.equal(sw(['hunt', folder, '--threads', '3', '-q', '--no-summary', '-o', file]).code, 0);
  assert.equal(readFileSync(file, 'utf8'), two.out);
  // csv takes the alerts as objects (the JSON Lines path is skipped): the same rows whatever N
  const csv = sw(['hunt', folder, '--threads', '2', '-q', '--no-summary', '-f', 'csv']);
  assert.equal(csv.code, 0);
  assert.ok(csv.out.split('\n').length > lines.length, 'a header and a row per alert (cells may span lines)');
  assert.equal(sw(['hunt', folder, '--threads', '3', '-q', '--no-summary', '-f', 'csv']).out, csv.out);
});
