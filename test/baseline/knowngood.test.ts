// Known-good validation: allowlist entries scoped by host group, matched by template and image path,
// and every suppression counted per entry and rule with an example event.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ShellEvent } from '../../src/core/index.js';
import { formatSuppressionReport, knownGoodContext, mergeSuppressionReports, parseGroups } from '../../src/detect/baseline/index.js';
import { createBuiltinDetectors, loadAllowlist, matchAllowlist, shippedAllowlist } from '../../src/detect/builtin/index.js';
import { CMD, EXPLORER, ps, T0 } from './helpers.js';

const TASKENG = { image: 'C:\\Windows\\System32\\taskeng.exe', commandLine: 'taskeng.exe {5D0F3A3B-1111-2222-3333-444400000000}', pid: 700 };

const SITE = `entries:
  - id: sccm-client
    description: the SCCM client's own PowerShell, from its install folder
    detectors: ["*"]
    imagePath: ["c:\\\\windows\\\\ccm\\\\*"]
  - id: backup-script
    description: the nightly backup batch file on the file servers
    detectors: [shell-via-scheduled-task-or-service, chained-commands]
    hostGroups: [file-servers]
    template: ["cmd /c c:\\\\backup\\\\run.cmd <n> && echo done > c:\\\\windows\\\\temp\\\\<tmp>"]
  - id: unused
    description: never matches
    detectors: ["*"]
    image: [nosuchtool]
`;

function site() {
  const dir = mkdtempSync(join(tmpdir(), 'kg-'));
  writeFileSync(join(dir, 'site.yaml'), SITE);
  const list = loadAllowlist(dir);
  assert.deepEqual(list.diagnostics, []);
  return list.entries;
}

const { groups } = parseGroups('hostGroups:\n  file-servers: ["fs*"]\n');
const backup = (host: string, n: number): ShellEvent => ps(host, T0 + n, CMD, `cmd.exe /c C:\\Backup\\run.cmd ${n} && echo done > C:\\Windows\\Temp\\bk${n}.log`, TASKENG);

test('template entries match the masked command; hostGroups limit them to their hosts', () => {
  const entries = site();
  assert.equal(matchAllowlist(entries, 'chained-commands', backup('fs01', 3), groups)?.id, 'backup-script');
  assert.equal(matchAllowlist(entries, 'chained-commands', backup('fs02', 99), groups)?.id, 'backup-script');
  assert.equal(matchAllowlist(entries, 'chained-commands', backup('ws01', 3), groups), null, 'not a file server');
  assert.equal(matchAllowlist(entries, 'chained-commands', backup('fs01', 3)), null, 'scoped entries need a scope');
  const extended = ps('fs01', T0, CMD, 'cmd.exe /c C:\\Backup\\run.cmd 1 && echo done > C:\\Windows\\Temp\\x.log & calc', EXPLORER);
  assert.equal(matchAllowlist(entries, 'chained-commands', extended, groups), null, 'a template glob cannot be extended');
  const ccm = ps('ws01', T0, 'C:\\Windows\\CCM\\ccmexec.exe', 'ccmexec.exe', EXPLORER);
  assert.equal(matchAllowlist(entries, 'unusual-shell-execution', ccm)?.id, 'sccm-client');
});

test('every suppression is counted per entry and rule with its first example; unused entries are listed', () => {
  const entries = [...shippedAllowlist, ...site()];
  const ctx = knownGoodContext(entries, groups);
  const detectors = createBuiltinDetectors([]);
  const logs = ps('web1', T0, '/bin/sh', '/bin/sh -c /usr/sbin/rotatelogs /var/log/httpd/access_log 86400', { image: '/usr/sbin/httpd', commandLine: '/usr/sbin/httpd -DFOREGROUND', pid: 2 }, 'root');
  const evs = [backup('fs01', 1), backup('fs02', 2), backup('ws01', 3), logs, { ...logs, time: T0 + 60_000 }];
  const fired: string[] = [];
  for (const ev of evs) for (const d of detectors) if (d.detect(ev, ctx).length) fired.push(`${d.id}@${ev.host}`);
  const rep = ctx.report();
  const by = Object.fromEntries(rep.entries.map((e) => [e.id, e]));
  assert.equal(by['backup-script'].total, 2);
  assert.deepEqual(by['backup-script'].rules.map((r) => [r.rule, r.count, r.example.host]), [['shell-via-scheduled-task-or-service', 2, 'fs01']]);
  assert.deepEqual(by['apache-piped-logs'].rules.map((r) => [r.rule, r.count]), [['interactive-shell-from-service', 2]]);
  assert.deepEqual(by['apache-piped-logs'].rules[0].example.event, logs.event);
  assert.equal(by.unused.total, 0);
  assert.equal(rep.total, 4);
  assert.ok(fired.includes('shell-via-scheduled-task-or-service@ws01'), 'the unscoped host still alerts');
  assert.deepEqual(mergeSuppressionReports([rep, rep]).total, 8);
  const text = formatSuppressionReport(rep);
  assert.match(text, /^backup-script {2}2 /m);
  assert.match(text, /^ {2}shell-via-scheduled-task-or-service {2}2 {2}e\.g\. test\.json#\d+ fs01 2024-03-01T00:00:00\.001Z$/m);
  assert.match(text, /^unused {2}0 .*never matched$/m);
});
