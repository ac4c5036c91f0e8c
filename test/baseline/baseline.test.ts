// Learn, judge, decay, merge, diff and the store: round trips are byte-identical.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Baseline, diffBaselines, mergeBaselines, parseGroups, STORE_VERSION } from '../../src/detect/baseline/index.js';
import { CMD, DAY, EXPLORER, PWSH, ps, T0, WINWORD } from './helpers.js';

const whoami = (host: string, t: number) => ps(host, t, CMD, `cmd.exe /c whoami /all > C:\\Users\\bob\\AppData\\Local\\Temp\\out${t % 97}.txt`, EXPLORER);

function learned(opts: ConstructorParameters<typeof Baseline>[0] = {}): Baseline {
  const b = new Baseline(opts);
  for (let i = 0; i < 9; i++) b.learn(whoami(i % 3 ? 'ws1' : 'ws2', T0 + i * 3600_000));
  b.learn(ps('ws1', T0 + 5000, PWSH, 'powershell.exe -nop -c Get-Date', EXPLORER));
  return b;
}

test('judge: common usage has low rarity; never-seen usage is 1 with no first-seen', () => {
  const b = learned();
  const j = b.judge(whoami('ws1', T0 + 8 * 3600_000));
  assert.deepEqual(j, { firstSeen: '2024-03-01T00:00:00.000Z', rarity: 0.1, seenOnHosts: 2 });
  const once = b.judge(ps('ws1', T0 + 5000, PWSH, 'powershell.exe -nop -c Get-Date', EXPLORER));
  assert.equal(once?.rarity, 0.5);
  const never = b.judge(ps('ws1', T0 + DAY, CMD, 'cmd.exe /c net user /domain', WINWORD));
  assert.deepEqual(never, { firstSeen: null, rarity: 1, seenOnHosts: 0 });
  const d = b.judgeDetail(ps('ws1', T0 + DAY, CMD, 'cmd.exe /c net user /domain', WINWORD))!;
  assert.deepEqual(d.facts.map((f) => [f.kind, f.value, f.rarity]), [['pair', 'winword>cmd', 1], ['template', 'cmd /c net user /domain', 1], ['user', 'corp\\alice>cmd', 0.101]]);
});

test('learning window: only events in [from, to) are learned', () => {
  const b = new Baseline({ from: T0, to: T0 + DAY });
  assert.equal(b.learn(whoami('ws1', T0 - 1)), false);
  assert.equal(b.learn(whoami('ws1', T0)), true);
  assert.equal(b.learn(whoami('ws1', T0 + DAY - 1)), true);
  assert.equal(b.learn(whoami('ws1', T0 + DAY)), false);
  assert.equal(b.stats().events, 2);
});

test('one process seen by two sources (same lineage node) is learned once', () => {
  const b = new Baseline();
  const a = { ...whoami('ws1', T0), nodeId: 7 };
  assert.equal(b.learn(a), true);
  assert.equal(b.learn({ ...a, time: T0 + 20 }), false);
  assert.equal(b.learn({ ...a, time: T0 + DAY }), true, 'a node id of another lineage run, much later');
});

test('decay: weights halve per half-life; entries unseen for dropAfterDays are dropped', () => {
  const b = learned({ halfLifeDays: 10, dropAfterDays: 60 });
  const e = b.get('hostgroup:default', 'template', 'powershell -nop -c get-date')!;
  assert.equal(b.weight(e, e.last + 10 * DAY), 0.5);
  assert.equal(b.judge(ps('ws1', e.last + 10 * DAY, PWSH, 'powershell.exe -nop -c Get-Date', EXPLORER))?.rarity, 0.667);
  const before = b.size;
  assert.equal(b.decay(T0 + 59 * DAY), 0);
  assert.equal(b.decay(T0 + 61 * DAY), before);
  assert.equal(b.size, 0);
});

test('save → load → save is byte-identical; the header names format and version', () => {
  const { groups } = parseGroups('hostGroups:\n  workstations: ["ws*"]\nuserGroups:\n  staff: ["corp\\\\*"]\n');
  const b = learned({ groups, from: T0, to: T0 + 2 * DAY });
  const dir = mkdtempSync(join(tmpdir(), 'baseline-'));
  b.save(join(dir, 'a.ndjson'));
  const text = readFileSync(join(dir, 'a.ndjson'), 'utf8');
  const header = JSON.parse(text.split('\n')[0]);
  assert.equal(header.format, 'shellwatch-baseline');
  assert.equal(header.version, STORE_VERSION);
  assert.deepEqual(header.window, { from: '2024-03-01T00:00:00.000Z', to: '2024-03-03T00:00:00.000Z' });
  const { baseline, diagnostics } = Baseline.load(join(dir, 'a.ndjson'));
  assert.deepEqual(diagnostics, []);
  baseline.save(join(dir, 'b.ndjson'));
  assert.equal(readFileSync(join(dir, 'b.ndjson'), 'utf8'), text);
  assert.deepEqual(baseline.judge(whoami('ws1', T0 + DAY)), b.judge(whoami('ws1', T0 + DAY)));
  assert.deepEqual(baseline.groups.config, groups.config);
});

test('load refuses other formats and versions; bad entry lines become diagnostics', () => {
  assert.throws(() => Baseline.parse('{"format":"other"}\n'), /not a shellwatch baseline/);
  assert.throws(() => Baseline.parse('{"format":"shellwatch-baseline","version":99}\n'), /version 99/);
  const { baseline, diagnostics } = Baseline.parse('{"format":"shellwatch-baseline","version":1}\n{"scope":"host:a","kind":"pair","value":"x>cmd","first":"2024-01-01T00:00:00.000Z","last":"2024-01-01T00:00:00.000Z","count":2,"hosts":["a"]}\nnot json\n{"scope":"host:a","kind":"bogus"}\n');
  assert.equal(baseline.size, 1);
  assert.deepEqual(diagnostics.map((d) => d.location?.line), [3, 4]);
});

test('merge adds counts and widens times; diff lists added, removed and changed entries', () => {
  const a = new Baseline({ from: T0, to: T0 + DAY });
  a.learn(whoami('ws1', T0));
  const b = new Baseline({ from: T0 + DAY, to: T0 + 2 * DAY });
  b.learn(whoami('ws2', T0 + DAY + 5));
  b.learn(ps('ws2', T0 + DAY + 9, PWSH, 'powershell -c Get-Date', EXPLORER));
  const m = mergeBaselines(a, b);
  const e = m.get('hostgroup:default', 'template', 'cmd /c whoami /all > c:\\users\\<user>\\appdata\\local\\temp\\<tmp>')!;
  assert.deepEqual({ count: e.count, first: e.first, last: e.last, hosts: e.hosts }, { count: 2, first: T0, last: T0 + DAY + 5, hosts: ['ws1', 'ws2'] });
  assert.deepEqual([m.params.from, m.params.to], [T0, T0 + 2 * DAY]);
  assert.equal(mergeBaselines(a, b).serialize(), m.serialize(), 'deterministic');
  const d = diffBaselines(a, m);
  assert.ok(d.added.some((x) => x.scope === 'host:ws2' && x.kind === 'template'));
  assert.ok(d.added.some((x) => x.value === 'powershell -c get-date'));
  assert.ok(d.changed.some((c) => c.before.scope === 'hostgroup:default' && c.before.count === 1 && c.after.count === 2));
  assert.deepEqual(d.removed, []);
  assert.deepEqual(diffBaselines(m, a).removed.length, d.added.length);
});

test('group scoping: normal for the host group is normal on a new host of it, not in another group', () => {
  const { groups, diagnostics } = parseGroups('hostGroups:\n  admin-ws: ["adm-*"]\n  servers: ["re:^srv\\\\d+$"]\nuserGroups:\n  admins: ["corp\\\\adm-*"]\n');
  assert.deepEqual(diagnostics, []);
  const b = new Baseline({ groups });
  for (let i = 0; i < 5; i++) b.learn(ps('adm-01', T0 + i, PWSH, 'powershell -c Enter-PSSession srv1', EXPLORER));
  const ev = (host: string) => ps(host, T0 + 4, PWSH, 'powershell -c Enter-PSSession srv9', EXPLORER);
  assert.deepEqual(b.judgeDetail(ev('adm-02'))!.scopes, ['host:adm-02', 'hostgroup:admin-ws']);
  assert.equal(b.judge(ev('adm-02'))!.rarity, 0.167);
  assert.equal(b.judgeDetail(ev('adm-02'))!.facts[1].newOnHost, true);
  assert.deepEqual(b.judgeDetail(ev('srv12'))!.scopes, ['host:srv12', 'hostgroup:servers']);
  assert.equal(b.judge(ev('srv12'))!.rarity, 1);
  assert.deepEqual(b.judgeDetail(ev('laptop7'))!.scopes, ['host:laptop7', 'hostgroup:default']);
  // a user group makes the admins' habits normal wherever they run them
  const admin = ps('srv12', T0 + 9, PWSH, 'powershell -c Enter-PSSession srv9', EXPLORER, 'corp\\adm-bob');
  b.learn(ps('adm-01', T0 + 9, PWSH, 'powershell -c Enter-PSSession srv1', EXPLORER, 'corp\\adm-bob'));
  assert.deepEqual(b.judgeDetail(admin)!.scopes, ['host:srv12', 'hostgroup:servers', 'usergroup:admins']);
  assert.equal(b.judge(admin)!.rarity, 0.5);
});

test('groups configuration refuses unsafe regexes and the reserved default group', () => {
  const { groups, diagnostics } = parseGroups('hostGroups:\n  bad: ["re:(a+)+$", "re:x\\\\1", "ok*"]\n  default: ["x"]\n');
  assert.equal(diagnostics.length, 3);
  assert.deepEqual(groups.config.hostGroups, { bad: ['ok*'] });
  assert.deepEqual(groups.hostGroups('okay'), ['bad']);
});
