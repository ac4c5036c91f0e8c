// Template masking: each variable part is masked, constant parts are kept, output is deterministic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandTemplate, maskCommand } from '../../src/detect/baseline/index.js';

const CASES: [string, string][] = [
  ['ping -n 4 10.0.0.7', 'ping -n <n> <ip>'],
  ['del C:\\Users\\alice\\AppData\\Local\\Temp\\tmp1234.bat', 'del c:\\users\\<user>\\appdata\\local\\temp\\<tmp>'],
  ['type C:\\Windows\\Temp\\x.log', 'type c:\\windows\\temp\\<tmp>'],
  ['copy %TEMP%\\a.exe .', 'copy %temp%\\<tmp> .'],
  ['bash /home/bob/bin/x.sh /tmp/abc.XYZ123', 'bash /home/<user>/bin/x.sh /tmp/<tmp>'],
  ['cat /var/tmp/q /dev/shm/r', 'cat /var/tmp/<tmp> /dev/shm/<tmp>'],
  ['rundll32 {4234D49B-0245-4DF3-B780-3893943456E1},Run', 'rundll32 <guid>,run'],
  ['x 0x1F4 3f2a9c81e0aa', 'x <hex> <hex>'],
  ['powershell -enc SQBmACgAJABQAFMAVgBlAHIAcwBpAG8AbgBUAGEAYgBsAGUA', 'powershell -enc <b64>'],
  ['curl http://[fe80::1]/x', 'curl http://[<ip>]/x'],
  ['nc 192.168.1.5 4444', 'nc <ip> <n>'],
  ['echo "' + 'a'.repeat(80) + '"', 'echo "<str>"'],
  ["sh -c '" + 'b'.repeat(90) + "'", "sh -c '<str>'"],
  ['sort   file_12345.log    ', 'sort file_<n>.log'],
  ['enter-pssession srv01; ping ws-1234', 'enter-pssession srv<n>; ping ws-<n>'],
];

const KEPT = [
  'sha256sum x86 win32 system32 syswow64 utf8 frombase64string',
  'deadbeef',
  '[system.convert]::frombase64string("x")',
  'cat /usr/share/applications/something/reallylongpathnamehere.desktop',
  '/bin/sh -c cd / && run-parts --report /etc/cron.daily',
  'echo "short quoted string"',
  'ls /home',
];

test('masks numbers, hex, GUIDs, profile and temp paths, IPs, base64, long quoted strings', () => {
  for (const [input, want] of CASES) assert.equal(maskCommand(input), want, input);
});

test('keeps constant parts (negative cases), only lower-casing and collapsing whitespace', () => {
  for (const input of KEPT) assert.equal(maskCommand(input), input.toLowerCase(), input);
});

test('templates name the program by its stem, however the command line spells it', () => {
  const a = commandTemplate({ image: 'C:\\Windows\\System32\\cmd.exe', commandLine: '"C:\\Windows\\System32\\cmd.exe" /c whoami' });
  const b = commandTemplate({ image: 'C:\\Windows\\System32\\cmd.exe', commandLine: 'cmd.exe /c whoami' });
  const c = commandTemplate({ image: 'C:\\Program Files\\Tool\\t.exe', commandLine: 'C:\\Program Files\\Tool\\t.exe --n 5' });
  assert.equal(a, 'cmd /c whoami');
  assert.equal(b, 'cmd /c whoami');
  assert.equal(c, 't --n <n>');
  assert.equal(commandTemplate({ image: '/usr/bin/python3.11', commandLine: 'python3 -c 1' }), 'python -c <n>');
  assert.equal(commandTemplate({}), null);
});

test('masking is bounded and deterministic on hostile input', () => {
  const hostile = `${'A'.repeat(40000)} ${'1.'.repeat(5000)} ${'"'.repeat(3000)} ${':'.repeat(5000)}`;
  const t0 = Date.now();
  const a = maskCommand(hostile);
  assert.ok(Date.now() - t0 < 500);
  assert.equal(a, maskCommand(hostile));
  assert.ok(a.length <= 1025);
});
