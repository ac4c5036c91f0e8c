// Invoke-DOSfuscation's published samples (../shared/corpus/invoke-dosfuscation/Samples/): 1000
// obfuscated cmd.exe lines per file, UTF-16LE with BOM. They were produced by the project's test
// harness (Invoke-DOSfuscationTestHarness.psm1, Test-OutDos*Command), which obfuscates a fixed
// list of test commands — the HIDDEN list below, with the generating user's name `me` and
// %WINDIR% c:\windows substituted as the harness does. The PowerShell ones were in some lines
// first obfuscated with Invoke-Obfuscation (char codes, bxor, reversal, concatenation), so their
// plain form is only reached after decoding those layers too.
// The harness fed each line to cmd.exe's stdin: lines are decoded as typed cmd lines (shell: 'cmd').
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { deobfuscate } from '../../src/decode/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';

/** The commands the samples hide (the harness's $testCommandsANY, $testCommandsCmd and $testCommandsPowerShell). */
export const HIDDEN = [
  'net user', 'net us""er', 'ne""t us""er', 'nets""tat -a""no | fin""dstr 12""7.0.0.1', 'netstat -ano | findstr 0.0.0.0 | findstr LISTENING',
  'dir "c:\\windows\\system32\\ca*c.exe"', 'dir c:\\windows\\system32\\ca*c.exe',
  'net user | find "me"', 'net user | find "me" | find "me"',
  'del C:\\Users\\me\\123.txt&&net user > %userprofile%\\123.txt&&type C:\\Users\\me\\123.txt | find "me"',
  'dir c:\\windows\\system32\\net.exe&&echo %temp%', 'echo %temp%', "powershell net user ^| sls 'me'", `powershell "net user | sls 'me'"`,
  'net us""er | find "me"', 'nets""tat -ano | find "127.0.0.1"', 'echo bla&&dir c:\\windows\\system32\\calc.exe',
  'echo _ > bla.txt&&echo TEST "" PAIRed DOUBLE QUOTES and not UNPAIRed DOUBLE QUOTES > bla.txt&&dir c:\\windows\\system32\\notepad.exe&&type bla.txt',
  "write-output 'echo %TEMP%' | cmd.exe", 'write-output "echo %TEMP%" | cmd.exe',
  "net user | ? {$_.startswith('me')}", 'net user | ? {$_.startswith("me")}',
  'Write-Host "this is a test 1" -ForegroundColor Green; write-output " me                       C:\\"',
  `Write-Host 'this is a test 2' -ForegroundColor Green; write-output " me                       C:\\"`,
  `Write-Host 'this is a "" test 3' -ForegroundColor Green; write-output " me                       C:\\"`,
  `Write-Host 'this is a "" <-- PAIRed DOUBLE QUOTES test 4' -ForegroundColor Green; write-output (' me '${"+' '".repeat(21)}+' C:\\')`,
  'net user | sls "me"',
  `&("IEX") '"dir c:\\windows\\system32\\calc.exe"|&("iex")'`, `&("IEX") '&("iex") "dir c:\\windows\\system32\\calc.exe"'`,
  `'"dir c:\\windows\\system32\\calc.exe"|&("iex")'|&("IEX")`,
  `'"dir c:\\windows\\system32\\calc.exe"|&("iex")'|&("IEX"); Write-Host "<>^^|\\&^" -ForegroundColor Green`,
  "&('iex') 'dir c:\\windows\\system32\\cal*c.exe'",
  // the innermost command of the Invoke-Obfuscation-encoded PowerShell lines
  'dir c:\\windows\\system32\\calc.exe', 'dir c:\\windows\\system32\\cal*c.exe',
  `del bla.txt; echo 'TEST "" PAIRed DOUBLE QUOTES and not UNPAIRed DOUBLE QUOTES' > bla.txt; dir c:\\windows\\system32\\calc.exe; type bla.txt`,
];

// The generator escapes % in PowerShell-bound text as ^% (cmd removes the caret only outside quotes).
const norm = (s: string): string => s.replace(/\^%/g, '%').replace(/\s+/g, ' ').replace(/^[\s;,]+|[\s;,]+$/g, '').toLowerCase();
const EXPECTED = new Set(HIDDEN.map(norm));

/** The hidden command a line's layers reveal, or null. */
export function recovered(line: string): string | null {
  const { layers } = deobfuscate(line, { shell: 'cmd', maxMs: 2000 });
  for (const l of layers.slice(1).reverse()) if (EXPECTED.has(norm(l.text))) return norm(l.text);
  return null;
}

function samples(name: string): string[] {
  return readFileSync(corpusPath('invoke-dosfuscation', 'Samples', name)).toString('utf16le').replace(/^\ufeff/, '').split(/\r?\n/).filter(Boolean);
}

for (const [file, floor] of [['STATIC_1-of-4_Out-DosConcatenatedCommand.txt', 1], ['STATIC_2-of-4_Out-DosReversedCommand.txt', 1]] as const) {
  test(`Invoke-DOSfuscation ${file}: every line decodes to the command it hides`, { skip: !hasCorpus }, () => {
    const lines = samples(file);
    assert.equal(lines.length, 1000);
    const missed: number[] = [];
    const byCommand = new Map<string, number>();
    lines.forEach((l, i) => {
      const r = recovered(l);
      if (r === null) missed.push(i);
      else byCommand.set(r, (byCommand.get(r) ?? 0) + 1);
    });
    const rate = (lines.length - missed.length) / lines.length;
    console.log(`${file}: recovered ${lines.length - missed.length}/${lines.length} (${(rate * 100).toFixed(1)}%), ${byCommand.size} distinct hidden commands; missed lines ${missed.slice(0, 20).join(',')}`);
    assert.ok(rate >= floor, `recovery ${rate} below ${floor}; missed ${missed.slice(0, 20).join(',')}`);
  });
}
