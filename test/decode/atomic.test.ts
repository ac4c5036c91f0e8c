// Atomic Red Team procedures (../shared/corpus/atomic-red-team/atomics/, read with `yaml`) for
// T1027 (obfuscated files or information) and T1059.001 (PowerShell). Chosen cases are the ones
// whose obfuscated command is literally in the procedure (or, for the encoders, is what the
// procedure puts on a process command line): decoding must give the plain command back.
// Not chosen: tests that only fetch tools (BloodHound, Mimikatz), read the payload from a file or
// the registry at run time (T1027 #1/#3), or generate variations at run time (ATHPowerShell…).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { deobfuscate } from '../../src/decode/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';

interface Atomic { name: string; input_arguments?: Record<string, { default?: unknown }>; executor: { command?: string; name: string } }

function atomic(technique: string, name: string): Atomic {
  const doc = parse(readFileSync(corpusPath('atomic-red-team', 'atomics', technique, `${technique}.yaml`), 'utf8')) as { atomic_tests: Atomic[] };
  const t = doc.atomic_tests.find((x) => x.name === name);
  assert.ok(t, `${technique}: no test named ${name}`);
  return t;
}

/** The procedure's command with #{arguments} replaced by their defaults, as Atomic Red Team runs it. */
function command(t: Atomic): string {
  return (t.executor.command ?? '').replace(/#\{(\w+)\}/g, (_m, k: string) => String(t.input_arguments?.[k]?.default ?? ''));
}

const texts = (s: string): string[] => deobfuscate(s).layers.slice(1).map((l) => l.text);

test('T1027 "Obfuscated Command in PowerShell": -f names, Get-Variable, octal [char] codes → Write-Host', { skip: !hasCorpus }, () => {
  const layers = deobfuscate(command(atomic('T1027', 'Obfuscated Command in PowerShell'))).layers;
  const hit = layers.find((l) => l.text === "Write-Host 'Hello, from PowerShell!'");
  assert.ok(hit, layers.map((l) => `${l.technique}: ${l.text.slice(0, 80)}`).join('\n'));
  assert.equal(hit.technique, 'octal');
  // the -f noise folds too: the invoked cmdlet is named in clear
  assert.ok(layers.some((l) => /InvOKe-EXpReSSiOn/i.test(l.text) && l.technique === 'format-operator'));
});

test('T1059.001 "PowerShell Command Execution": powershell.exe -e <base64> → gcm-built iex → Write-Host', { skip: !hasCorpus }, () => {
  const t = texts(command(atomic('T1059.001', 'PowerShell Command Execution')));
  assert.ok(t.some((x) => x.startsWith("& (gcm ('ie{0}' -f 'x'))")), t.join('\n'));
  assert.ok(t.includes("Write-Host 'Hello, from PowerShell!'"), t.join('\n'));
});

test('T1027 "Execute base64-encoded PowerShell": the -EncodedCommand it launches decodes to its input', { skip: !hasCorpus }, () => {
  const t = atomic('T1027', 'Execute base64-encoded PowerShell');
  const plain = String(t.input_arguments!.powershell_command.default);
  // what the procedure's last line starts, as a process command line would show it
  const line = `powershell.exe -EncodedCommand ${Buffer.from(plain, 'utf16le').toString('base64')}`;
  const { layers } = deobfuscate(line);
  assert.equal(layers[1]?.technique, 'powershell-encodedcommand');
  assert.equal(layers[1].text, plain);
});

test('T1059.001 "PowerShell Fileless Script Execution": the base64 registry payload decodes', { skip: !hasCorpus }, () => {
  const cmd = command(atomic('T1059.001', 'PowerShell Fileless Script Execution'));
  const reg = cmd.split('\n').find((l) => l.startsWith('reg.exe'))!;
  // the iex line reads the value at run time; the reg.exe line carries it literally
  const t = texts(reg);
  assert.ok(t.some((x) => x.includes('Set-Content -path "$env:SystemRoot/Temp/art-marker.txt"')), t.join('\n'));
});

test('T1027 "Decode base64 Data into Script": echo | base64 -d | sh of its own shell_command', { skip: !hasCorpus }, () => {
  const t = atomic('T1027', 'Decode base64 Data into Script');
  const plain = String(t.input_arguments!.shell_command.default);
  // the file it writes is `echo "<cmd>" | base64`; decoding it into sh is the procedure's point
  const line = `echo ${Buffer.from(`${plain}\n`).toString('base64')} | base64 -d | sh`;
  const layers = deobfuscate(line).layers;
  assert.equal(layers[1]?.technique, 'base64-pipe');
  assert.equal(layers[1].text, plain);
});
