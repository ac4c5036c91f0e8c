// Tokenizers: CommandLineToArgvW's backslash/quote rules, cmd.exe's view of a line (carets,
// quotes, chaining, groups, redirections, /C payload) and POSIX shell words and lists.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ansiC, cmdCommands, cmdPayload, posixCommands, winArgv } from '../../src/decode/index.js';

test('winArgv follows CommandLineToArgvW', () => {
  assert.deepEqual(winArgv('"C:\\Program Files\\x.exe" a\\\\"b c" "d""e" f\\"g h\\\\'), ['C:\\Program Files\\x.exe', 'a\\b c', 'd"e', 'f"g', 'h\\\\']);
  assert.deepEqual(winArgv('powershell.exe -enc  AAAA'), ['powershell.exe', '-enc', 'AAAA']);
  assert.deepEqual(winArgv('   '), []);
});

test('cmdCommands splits on & && || | outside quotes and carets, keeping redirections apart', () => {
  const c = cmdCommands('whoami /all 2>&1 > out.txt && ne^t us^er "a & b" || (echo x | find "x") & dir ^& stuff');
  assert.deepEqual(c.map((x) => [x.op, x.text]), [
    [null, 'whoami /all'], ['&&', 'net user "a & b"'], ['||', 'echo x'], ['|', 'find "x"'], ['&', 'dir & stuff'],
  ]);
  assert.deepEqual(c[0].redirs, ['2>&1', '>out.txt']);
  assert.equal(c[2].depth, 1);
});

test('cmdPayload extracts /c /k /r text with its quotes and /V', () => {
  assert.deepEqual(cmdPayload('cmd.exe /V:ON /c "set x=1&&echo !x!"'), { script: 'set x=1&&echo !x!', delayed: true });
  assert.deepEqual(cmdPayload('C:\\Windows\\system32\\cmd.exe /Q /r whoami'), { script: 'whoami', delayed: false });
  assert.deepEqual(cmdPayload('%COMSPEC% /b /c start /min x.bat'), { script: 'start /min x.bat', delayed: false });
  assert.equal(cmdPayload('notepad.exe /c x'), null);
});

test('posixCommands reads quotes, escapes, $\'…\', ${IFS}, lists, pipes and substitutions', () => {
  const c = posixCommands(`c\\a't'"$x" $'\\x2fetc\\057passwd'|grep -v ^# && (cd /tmp; curl\${IFS}-s \`id\` $(echo hi))`);
  assert.deepEqual(c.map((x) => [x.op, x.words]), [
    [null, ['cat$x', '/etc/passwd']], ['|', ['grep', '-v', '^#']], ['&&', ['cd', '/tmp']], [';', ['curl', '-s', '`id`', '$(echo hi)']],
  ]);
  assert.equal(c[0].ansiC, 2);
  assert.equal(c[3].ifs, 1);
  assert.deepEqual(c[3].subs, ['id', 'echo hi']);
  assert.equal(c[3].depth, 1);
  assert.equal(ansiC('\\u0041\\101\\x41\\n').text, 'AAA\n');
});

test('posixCommands splices variables through the expansion hook', () => {
  const vars: Record<string, string> = { a: 'ca', b: 't' };
  const c = posixCommands('$a$b /etc/passwd ${a}t', { variable: (n) => vars[n] });
  assert.deepEqual(c[0].words, ['cat', '/etc/passwd', 'cat']);
});
