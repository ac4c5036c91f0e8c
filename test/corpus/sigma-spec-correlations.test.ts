// The example correlation rules of the Sigma specification (sigma-specification/tests/schema/correlation/)
// load from their files and behave as the correlation specification says, proven with events written
// here. The examples name base rules they do not include; those are written here too (by id or name).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RawRecord } from '../../src/core/index.js';
import { createEngine, loadRules, type SigmaMatch } from '../../src/detect/sigma/index.js';
import { corpusPath } from '../helpers/corpus.js';

const base = (id: string, name: string | undefined, eventId: number) => `title: base ${name ?? id}
id: ${id}
${name ? `name: ${name}\n` : ''}logsource: { product: windows, service: security }
detection:
    selection:
        EventID: ${eventId}
    condition: selection
`;
const BASES = [
  base('5638f7c0-ac70-491d-8465-2a65075e0d86', undefined, 4625),
  base('11111111-0000-4000-8000-00000000000a', 'recon_cmd_a', 5001),
  base('11111111-0000-4000-8000-00000000000b', 'recon_cmd_b', 5002),
  base('11111111-0000-4000-8000-00000000000c', 'recon_cmd_c', 5003),
  base('11111111-0000-4000-8000-0000000000aa', 'rule_a_id', 5156),
  base('11111111-0000-4000-8000-0000000000bb', 'website_access', 5157),
  base('11111111-0000-4000-8000-0000000000cc', 'process_creation', 4688),
].join('---\n');

function setup(example: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sw-corr-'));
  writeFileSync(join(dir, 'bases.yml'), BASES);
  const file = corpusPath('sigma-specification', 'tests', 'schema', 'correlation', example);
  const { rules, listing } = loadRules([file, dir]);
  const corr = listing.find((l) => l.path === file)!;
  assert.ok(corr.loaded, `${example}: ${corr.reason}`);
  return createEngine(rules);
}

let rid = 0;
function ev(eventId: number, sec: number, data: Record<string, unknown>): RawRecord {
  return { format: 'json-evtx', ref: { file: 't', record: ++rid, channel: 'Security', eventId }, system: { provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security', eventId, computer: String(data.ComputerName ?? 'h'), timeMs: 1_700_000_000_000 + sec * 1000 }, data: { EventID: eventId, ...data } };
}
function run(example: string, recs: RawRecord[]): SigmaMatch[] {
  const e = setup(example);
  return [...recs.flatMap((r) => e.match(r)), ...e.flush()].filter((m) => m.rule.kind === 'correlation');
}
const times = (n: number, f: (i: number) => RawRecord) => Array.from({ length: n }, (_, i) => f(i));

test('event_count.yml: 100 failed logins on one computer within 1 h fire; 99, or spread over 2 h, do not', () => {
  assert.equal(run('event_count.yml', times(100, (i) => ev(4625, i * 30, { ComputerName: 'ws1' }))).length, 1);
  assert.equal(run('event_count.yml', times(99, (i) => ev(4625, i * 30, { ComputerName: 'ws1' }))).length, 0);
  assert.equal(run('event_count.yml', times(100, (i) => ev(4625, i * 72, { ComputerName: 'ws1' }))).length, 0);
  assert.equal(run('event_count.yml', times(100, (i) => ev(4625, i, { ComputerName: `ws${i % 2}` }))).length, 0, 'grouped by ComputerName');
});

test('value_count.yml: 100 distinct users failing on one computer/workstation within a day fire', () => {
  const u = (i: number, user: string) => ev(4625, i * 60, { ComputerName: 'dc1', WorkstationName: 'ws9', User: user });
  assert.equal(run('value_count.yml', times(100, (i) => u(i, `user${i}`))).length, 1);
  assert.equal(run('value_count.yml', times(150, (i) => u(i, `user${i % 99}`))).length, 0);
});

test('temporal.yml: recon a, b and c by one user on one computer within 5 min, in any order', () => {
  const r = (id: number, s: number, user = 'bob') => ev(id, s, { ComputerName: 'ws1', User: user });
  assert.equal(run('temporal.yml', [r(5003, 0), r(5001, 60), r(5002, 120)]).length, 1);
  assert.equal(run('temporal.yml', [r(5003, 0), r(5001, 60), r(5002, 400)]).length, 0, 'outside 5 min');
  assert.equal(run('temporal.yml', [r(5003, 0), r(5001, 60), r(5002, 120, 'eve')]).length, 0, 'another user');
});

test('temporal_ordered.yml: a, then b, then c within 5 min; another order does not fire', () => {
  const r = (id: number, s: number) => ev(id, s, { ComputerName: 'ws1', User: 'bob' });
  assert.equal(run('temporal_ordered.yml', [r(5001, 0), r(5002, 60), r(5003, 120)]).length, 1);
  assert.equal(run('temporal_ordered.yml', [r(5003, 0), r(5001, 60), r(5002, 120)]).length, 0);
});

test('value_avg.yml and value_sum.yml: average and total of a field per group', () => {
  const net = (id: number, s: number, field: string, n: number) => ev(id, s, { SourceIP: '10.0.0.8', User: 'bob', [field]: n });
  assert.equal(run('value_avg.yml', [net(5156, 0, 'BytesOut', 400), net(5156, 60, 'BytesOut', 700)]).length, 1, 'avg 550 > 500');
  assert.equal(run('value_avg.yml', [net(5156, 0, 'BytesOut', 400), net(5156, 60, 'BytesOut', 500)]).length, 0, 'avg 450');
  assert.equal(run('value_sum.yml', times(3, (i) => net(5157, i * 60, 'bytes_sent', 400_000))).length, 1, '1.2 MB > 1 MB');
  assert.equal(run('value_sum.yml', times(2, (i) => net(5157, i * 60, 'bytes_sent', 400_000))).length, 0);
});

test('value_percentile.yml: a process name among the rarest 1% on a computer in 24 h', () => {
  const p = (i: number, image: string) => ev(4688, i * 10, { ComputerName: 'ws1', Image: image });
  const common = times(300, (i) => p(i, `C:\\Windows\\System32\\svc${i % 3}.exe`));
  const m = run('value_percentile.yml', [...common, p(301, 'C:\\Users\\bob\\AppData\\Local\\Temp\\x.exe')]);
  assert.ok(m.length >= 1);
  assert.ok(m.every((x) => x.group?.ComputerName === 'ws1'));
});
