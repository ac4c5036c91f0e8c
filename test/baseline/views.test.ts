// The shipped groups example loads cleanly; show/diff text views are stable and terminal-safe.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { Baseline, describeBaseline, diffBaselines, formatDiff, loadGroups } from '../../src/detect/baseline/index.js';
import { CMD, EXPLORER, ps, T0 } from './helpers.js';

test('rules/groups.example.yaml is valid and resolves the OTRF lab hosts', () => {
  const { groups, diagnostics } = loadGroups(fileURLToPath(new URL('../../rules/groups.example.yaml', import.meta.url)));
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(groups.hostGroups('WORKSTATION5.theshire.local'), ['workstations']);
  assert.deepEqual(groups.hostGroups('MORDORDC.theshire.local'), ['domain-controllers']);
  assert.deepEqual(groups.hostGroups('ci-7f3a'), ['build-agents']);
  assert.deepEqual(groups.hostGroups('kiosk1'), ['default']);
  assert.deepEqual(groups.userGroups('NT AUTHORITY\\SYSTEM'), ['service-accounts']);
  assert.deepEqual(groups.userGroups('THESHIRE\\WORKSTATION5$'), ['service-accounts']);
  assert.deepEqual(groups.userGroups('corp\\adm-bob'), ['admins']);
  assert.deepEqual(groups.userGroups('corp\\alice'), []);
});

test('show and diff views list scopes and changes; control characters are neutralised', () => {
  const a = new Baseline({ to: T0 + 10 });
  a.learn(ps('ws1', T0, CMD, 'cmd.exe /c echo \u001b[31mred', EXPLORER));
  const b = new Baseline();
  b.learn(ps('ws1', T0, CMD, 'cmd.exe /c echo \u001b[31mred', EXPLORER));
  b.learn(ps('ws2', T0 + 5, CMD, 'cmd.exe /c ver', EXPLORER));
  const show = describeBaseline(a);
  assert.match(show, /^1 process starts, 2 scopes, 1 pairs, 1 templates, 1 user→shell, 8 entries$/m);
  assert.match(show, /^host:ws1 \(1 process starts\)$/m);
  assert.match(show, /^ {2}template {2}cmd \/c echo \?\[31mred {2}×1 /m);
  assert.ok(!show.includes('\u001b'));
  assert.match(show, /^host:ws1 \(1 process starts\)\n {2}pair {2}explorer>cmd .*\n {2}template .*\n {2}user {2}corp\\alice>cmd /m);
  const diff = formatDiff(diffBaselines(a, b));
  assert.match(diff, /^5 added, 0 removed, 3 changed$/m);
  assert.match(diff, /^\+ host:ws2 {2}template {2}cmd \/c ver {2}×1 /m);
  assert.match(diff, /^~ hostgroup:default {2}events {2}- {2}×2 .* \(was ×1, hosts 1\)$/m);
});
