// Hostile input: every field of every log line is attacker-controlled. Decoding must stay
// bounded in time and output and never throw, whatever it is given.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { deobfuscate, posixCommands, cmdCommands, winArgv } from '../../src/decode/index.js';

/** Runs deobfuscate, checking the result shape and a wall-clock ceiling. */
function bounded(text: string, ms = 1500, opts = {}): ReturnType<typeof deobfuscate> {
  const t0 = Date.now();
  const r = deobfuscate(text, { maxMs: 300, ...opts });
  const took = Date.now() - t0;
  assert.ok(took < ms, `took ${took} ms`);
  assert.equal(r.layers[0].technique, 'input');
  const out = r.layers.slice(1).reduce((n, l) => n + l.text.length, 0);
  assert.ok(out <= 256 * 1024, `output ${out}`);
  for (const l of r.layers.slice(1)) assert.ok(l.from && l.from.layer < r.layers.indexOf(l));
  return r;
}

const b64u = (s: string): string => Buffer.from(s, 'utf16le').toString('base64');

test('deeply nested encodings stop at maxDepth', () => {
  let s = 'whoami';
  for (let i = 0; i < 10; i++) s = `powershell -enc ${b64u(s)}`;
  const r = bounded(s, 3000, { maxDepth: 6, maxMs: 2000 });
  assert.equal(r.layers.length, 7);
  assert.equal(bounded(s, 3000, { maxMs: 2000, maxOutput: 10 << 20 }).layers.length, 9);
  assert.ok(r.layers.every((l, i) => i === 0 || l.technique === 'powershell-encodedcommand'));
});

test('huge base64 is cut to the output budget', () => {
  const big = Buffer.alloc(3 << 20, 'A').toString('base64');
  bounded(`powershell -enc ${big}`);
  bounded(`echo ${big} | base64 -d | sh`);
  bounded(`IEX ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${big}')))`);
});

test('decompression bombs are cut by the zlib output limit', () => {
  const bomb = gzipSync(Buffer.alloc(64 << 20, 0x41)).toString('base64');
  const r = bounded(`IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream((New-Object IO.MemoryStream(,[Convert]::FromBase64String('${bomb}'))),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()`, 3000);
  assert.ok(r.layers.slice(1).every((l) => l.text.length <= 256 * 1024));
  bounded(`echo ${bomb} | base64 -d | gunzip | sh`, 3000);
});

test('loops and string growth in cmd are bounded', () => {
  bounded('cmd /V:ON /C "set x=AB&&for /L %i in (1,1,1000000000) do set x=!x!!x!"');
  bounded('cmd /c "for /L %i in (1,1,99999999) do for /L %j in (1,1,99999999) do echo %i%j"');
  bounded(`cmd /c "${'call '.repeat(5000)}echo hi"`);
  bounded(`${'('.repeat(20000)}echo x${')'.repeat(20000)}`, 3000, { shell: 'cmd' });
});

test('catastrophic patterns and odd input do not hang or throw', () => {
  bounded(`iex ('${'a'.repeat(50_000)}' -replace '(a+)+$','b')`);
  bounded(`${'"'.repeat(100_000)}`);
  bounded(`${'%'.repeat(100_000)}`, 1500, { shell: 'cmd' });
  bounded(`${'!x:~'.repeat(20_000)}`, 1500, { shell: 'cmd' });
  bounded(`${'$('.repeat(20_000)}`);
  bounded(`${'`'.repeat(100_000)}`);
  bounded(`${"$'\\x".repeat(30_000)}`);
  bounded(`${'[char]'.repeat(30_000)}65`);
  bounded(`${'-join '.repeat(30_000)}'a'`);
  bounded(`${'('.repeat(30_000)}'a'${')'.repeat(30_000)}`);
  bounded('\u0000\uffff\ud800'.repeat(10_000));
  bounded('');
  bounded(String(null));
});

test('tokenizers are linear on long input', () => {
  const t0 = Date.now();
  winArgv('a\\\\\\"b '.repeat(20_000));
  cmdCommands('^&'.repeat(30_000) + '"&'.repeat(30_000));
  posixCommands("'".repeat(50_000) + '$('.repeat(10_000) + '`'.repeat(10_000));
  assert.ok(Date.now() - t0 < 2000);
});
