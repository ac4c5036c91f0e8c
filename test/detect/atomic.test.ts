// Positive suite from Red Canary's Atomic Red Team procedures and Invoke-DOSfuscation samples.
// Each expectation below names the detector that must fire and why that procedure is in scope.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { loadAtomics } from './atomics.js';
import { firing, proc, start } from './helpers.js';

/** [technique, test-name prefix, detector that must fire, why]. */
const EXPECT: [string, string, string, string][] = [
  ['T1027', 'Decode base64 Data into Script', 'encoded-obfuscated-cli', 'decoder held in a variable, output written to a file that is then run'],
  ['T1027', 'Execute base64-encoded PowerShell', 'encoded-obfuscated-cli', 'powershell.exe -EncodedCommand'],
  ['T1027', 'Execute base64-encoded PowerShell from Windows Registry', 'encoded-obfuscated-cli', 'FromBase64String + IEX'],
  ['T1027', 'Obfuscated Command in PowerShell', 'encoded-obfuscated-cli', 'char-code / concatenation obfuscation'],
  ['T1027', 'Obfuscated PowerShell Command via Character Array', 'encoded-obfuscated-cli', '[char[]](112,111,…) assembled with -join'],
  ['T1059.001', 'PowerShell Command Execution', 'encoded-obfuscated-cli', 'powershell.exe -e <base64>'],
  ['T1059.001', 'PowerShell Fileless Script Execution', 'encoded-obfuscated-cli', 'FromBase64String payload executed with iex'],
  ['T1059.002', 'AppleScript', 'encoded-obfuscated-cli', 'python exec(base64.b64decode(…)) inside osascript'],
  ['T1059.003', 'Suspicious Execution via Windows Command Shell', 'encoded-obfuscated-cli', '%LOCALAPPDATA:~-3,1%md: substring expansion builds the program name'],
  ['T1059.004', 'Obfuscated command line scripts', 'encoded-obfuscated-cli', 'echo … | $decodecmd | /bin/bash'],
  ['T1059.006', 'Python pty module and spawn function', 'shell-over-reverse-connection', 'pty.spawn("/bin/sh"): reverse-shell TTY upgrade'],
  ['T1053.002', 'At.exe Scheduled task', 'shell-via-scheduled-task-or-service', 'at.exe job running cmd'],
  ['T1053.002', 'At - Schedule a job', 'shell-via-scheduled-task-or-service', 'echo … | at: job run by /bin/sh'],
  ['T1053.003', 'Cron - Replace crontab with referenced file', 'shell-via-scheduled-task-or-service', 'crontab fed a job from /tmp'],
  ['T1053.003', 'Cron - Add script to /etc/cron.d folder', 'shell-via-scheduled-task-or-service', 'echo job >> /etc/cron.d/…'],
  ['T1053.003', 'Cron - Add script to /var/spool/cron/crontabs/ folder', 'shell-via-scheduled-task-or-service', 'writes a user crontab directly'],
  ['T1053.005', 'Scheduled task Local', 'shell-via-scheduled-task-or-service', 'schtasks /create /tr "cmd /c …"'],
  ['T1053.005', 'Scheduled task Remote', 'shell-via-scheduled-task-or-service', 'schtasks /create /s host /tr "cmd /c …"'],
  ['T1053.005', 'Scheduled Task Startup Script', 'shell-via-scheduled-task-or-service', 'schtasks /create /tr with a script host'],
  ['T1053.005', 'Scheduled Task Executing Base64 Encoded Commands', 'shell-via-scheduled-task-or-service', 'schtasks /tr powershell with FromBase64String'],
  ['T1053.006', 'Create a user level transient systemd service', 'shell-via-scheduled-task-or-service', 'systemd-run … /bin/sh -c'],
  ['T1053.006', 'Create a system level transient systemd service', 'shell-via-scheduled-task-or-service', 'systemd-run … /bin/sh -c'],
  ['T1569.002', 'Execute a Command as a Service', 'shell-via-scheduled-task-or-service', 'sc create binPath= "%COMSPEC% /c powershell …"'],
];

test('atomic red team: the expected detector fires on each chosen procedure', { skip: !hasCorpus }, () => {
  const atomics = loadAtomics();
  let fired = 0;
  for (const [tech, name, id, why] of EXPECT) {
    const c = atomics.find((a) => a.technique === tech && a.name.startsWith(name));
    assert.ok(c, `atomic ${tech} "${name}" not found`);
    const ids = new Set(c.events.flatMap((e) => firing(e)));
    assert.ok(ids.has(id), `${tech} "${name}": expected ${id} (${why}), got [${[...ids].join(', ')}]`);
    fired++;
  }
  const any = atomics.filter((a) => a.events.some((e) => firing(e).length > 0)).length;
  console.log(`[atomics] ${EXPECT.length} expectations met; ${any}/${atomics.length} runnable procedures raise at least one alert`);
  assert.equal(fired, EXPECT.length);
});

/** Invoke-DOSfuscation: every line is an obfuscated cmd.exe command line (UTF-16LE with BOM). */
function dosfuscation(file: string): string[] {
  return readFileSync(corpusPath('invoke-dosfuscation', 'Samples', file)).toString('utf16le').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
}

for (const file of ['STATIC_1-of-4_Out-DosConcatenatedCommand.txt', 'STATIC_2-of-4_Out-DosReversedCommand.txt']) {
  test(`invoke-dosfuscation ${file}: encoded-obfuscated-cli fires on at least 95%`, { skip: !hasCorpus }, () => {
    const lines = dosfuscation(file);
    const missed = lines.filter((l) => !firing(start(proc('C:\\Windows\\System32\\cmd.exe', l), proc('C:\\Windows\\explorer.exe'))).includes('encoded-obfuscated-cli'));
    console.log(`[dosfuscation] ${file}: ${lines.length - missed.length}/${lines.length} detected`);
    for (const m of missed.slice(0, 5)) console.log(`  missed: ${m.slice(0, 200)}`);
    assert.ok(lines.length >= 900);
    assert.ok(missed.length <= lines.length * 0.05, `${missed.length} missed`);
  });
}
