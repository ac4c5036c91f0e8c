// rare-shell-usage: quiet on what was normal in the learning period, loud once per host on what is new.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, ShellEvent } from '../../src/core/index.js';
import { Baseline, createBaselineDetector, parseGroups } from '../../src/detect/baseline/index.js';
import { CMD, DAY, EXPLORER, PWSH, ps, T0, WINWORD } from './helpers.js';

const never = { allowed: () => false };
const always = { allowed: () => true };
const SVC = { image: 'C:\\Windows\\System32\\services.exe', commandLine: 'C:\\Windows\\system32\\services.exe', pid: 600 };

/** Two weeks of routine on two workstations: a logon script, an admin's PowerShell, a service's cmd. */
function routine(start: number, days: number, variant: number): ShellEvent[] {
  const out: ShellEvent[] = [];
  for (let d = 0; d < days; d++) {
    for (const host of ['ws1', 'ws2']) {
      const t = start + d * DAY + variant * 1000;
      out.push(ps(host, t, CMD, `cmd.exe /c net use Z: \\\\fs01\\home /persistent:no & echo ${d + variant} > C:\\Users\\alice\\AppData\\Local\\Temp\\log${t % 1000}.txt`, EXPLORER));
      out.push(ps(host, t + 60_000, PWSH, `powershell.exe -NoProfile -Command Get-Process -Id ${4000 + d + variant}`, EXPLORER));
      out.push(ps(host, t + 120_000, CMD, `cmd.exe /c C:\\Windows\\Temp\\{${'5D0F3A3B-1111-2222-3333-4444' + String(d).padStart(8, '0')}}\\update.bat`, SVC, 'nt authority\\system'));
    }
  }
  return out;
}

function learned(): Baseline {
  const b = new Baseline({ from: T0, to: T0 + 14 * DAY });
  b.learnAll(routine(T0, 14, 0));
  return b;
}

const run = (b: Baseline, evs: ShellEvent[], ctx = never): Finding[] => {
  const det = createBaselineDetector(b);
  return evs.flatMap((ev) => det.detect(ev, ctx));
};

test('hunting a later period of the same routine raises nothing', () => {
  const b = learned();
  assert.equal(b.stats().events, 84);
  assert.deepEqual(run(b, routine(T0 + 14 * DAY, 7, 7)), []);
});

test('a new parent→child shell pair is a medium alert naming the pair and that it was never seen', () => {
  const b = learned();
  const ev = ps('ws1', T0 + 15 * DAY, CMD, 'cmd.exe /c whoami /all', WINWORD);
  const [f, ...rest] = run(b, [ev, { ...ev, time: ev.time + 5 }]);
  assert.equal(rest.length, 0, 'once per host and fact');
  assert.equal(f.level, 'medium');
  assert.match(f.reason, /parent→child pair "winword>cmd" never seen/);
  const rare = (f.evidence!.rare as { kind: string; value: string; scope: string | null }[]).map((r) => [r.kind, r.value, r.scope]);
  assert.deepEqual(rare, [['pair', 'winword>cmd', null], ['template', 'cmd /c whoami /all', null]]);
  assert.deepEqual(f.evidence!.baseline, { firstSeen: null, rarity: 1, seenOnHosts: 0 });
});

test('a new command template under a known pair is a low alert; where a rare one was seen is named', () => {
  const b = learned();
  b.learn(ps('ws2', T0 + 3 * DAY, CMD, 'cmd.exe /c ipconfig /all', EXPLORER));
  const [f] = run(b, [ps('ws1', T0 + 15 * DAY, CMD, 'cmd.exe /c ipconfig /all', EXPLORER)]);
  assert.equal(f.level, 'low');
  assert.match(f.reason, /command template "cmd \/c ipconfig \/all" seen 1× on ws2 \(hostgroup:default\)/);
  assert.deepEqual(run(b, [ps('ws1', T0 + 15 * DAY, CMD, 'cmd.exe /c ipconfig /all', EXPLORER)]).length, 1);
  assert.deepEqual(createBaselineDetector(b, { threshold: 0.6 }).detect(ps('ws1', T0 + 4 * DAY, CMD, 'cmd.exe /c ipconfig /all', EXPLORER), never), []);
});

test('quiet where nothing was learned for the scope, for non-shell usage, and when allowlisted', () => {
  const { groups } = parseGroups('hostGroups:\n  servers: ["srv*"]\n');
  const b = new Baseline({ groups });
  b.learnAll(routine(T0, 3, 0));
  const onServer = ps('srv1', T0 + 4 * DAY, CMD, 'cmd.exe /c whoami', EXPLORER);
  assert.equal(createBaselineDetector(b).detect(onServer, never).length, 0, 'servers group has no baseline');
  assert.equal(createBaselineDetector(b).detect(ps('ws1', T0 + 4 * DAY, 'C:\\Windows\\notepad.exe', 'notepad.exe x.txt', WINWORD), never).length, 0);
  assert.equal(createBaselineDetector(b).detect(ps('ws1', T0 + 4 * DAY, CMD, 'cmd.exe /c whoami', WINWORD), always).length, 0);
});

test('user→shell novelty can be made to alert; judge() attaches to any event naming a process', () => {
  const b = learned();
  const ev = ps('ws1', T0 + 15 * DAY, PWSH, 'powershell.exe -NoProfile -Command Get-Process -Id 12', EXPLORER, 'corp\\mallory');
  assert.equal(run(b, [ev]).length, 0);
  assert.equal(createBaselineDetector(b, { kinds: ['user'] }).detect(ev, never).length, 1);
  const net: ShellEvent = { kind: 'network', time: ev.time, host: 'ws1', event: ev.event, raw: {}, process: ev.process, ancestors: [EXPLORER], dstIp: '10.0.0.1', dstPort: 443 };
  assert.equal(b.judge(net)!.rarity, 1, 'mallory never used powershell');
  assert.equal(b.judge({ kind: 'other', time: 0, host: 'ws1', event: ev.event, raw: {} }), null);
});
