// Property: hiding a command with any technique the decoder supports, then decoding, gives the
// command back (as one of the layers). Commands come from the benign corpus (tldr examples and
// nl2bash one-liners, ../shared/corpus/benign/), restricted to characters every obfuscator can
// carry without escaping; a deterministic sample keeps the test stable.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { deobfuscate } from '../../src/decode/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { OBFUSCATORS } from './obfuscators.js';

const SAFE = /^[A-Za-z][A-Za-z0-9 ./_:=-]{4,70}[A-Za-z0-9]$/;

function commands(file: string, every: number, max: number): string[] {
  const out = new Set<string>();
  const lines = readFileSync(corpusPath('benign', file), 'utf8').split('\n');
  for (let i = 0; i < lines.length && out.size < max; i += every) {
    const c = (JSON.parse(lines[i] || '{}') as { command?: string }).command?.trim().replace(/\s+/g, ' ');
    if (c && SAFE.test(c) && !/ -$/.test(c)) out.add(c);
  }
  return [...out];
}

test('every supported technique round-trips over benign commands', { skip: !hasCorpus }, () => {
  const cmds = [...commands('tldr-examples.jsonl', 7, 90), ...commands('nl2bash.jsonl', 5, 60)];
  assert.ok(cmds.length >= 120, `only ${cmds.length} commands`);
  const failures: string[] = [];
  let runs = 0;
  for (const [k, o] of OBFUSCATORS.entries()) {
    for (const [i, c] of cmds.entries()) {
      if (i % 2 !== k % 2 && o.shell !== 'cmd') continue; // half the commands per technique keeps the run short
      const hidden = o.hide(c, i);
      if (hidden === c) continue; // nothing to hide (one word, no spaces for ${IFS})
      const want = (o.expect ?? ((x: string) => x))(c);
      const { layers } = deobfuscate(hidden, { shell: o.shell === 'cmd' ? 'cmd' : 'auto', maxMs: 2000 });
      runs++;
      const hit = layers.slice(1).find((l) => l.text === want);
      if (!hit) failures.push(`${o.technique}: ${JSON.stringify(c)} ⇐ ${hidden.slice(0, 160)}\n   got ${layers.slice(1).map((l) => `${l.technique}: ${l.text.slice(0, 80)}`).join(' | ')}`);
    }
  }
  const byTech = new Map<string, number>();
  for (const f of failures) byTech.set(f.split(':')[0], (byTech.get(f.split(':')[0]) ?? 0) + 1);
  if (byTech.size) console.log('failures by technique:', Object.fromEntries(byTech));
  console.log(`${OBFUSCATORS.length} obfuscators (${new Set(OBFUSCATORS.map((o) => o.technique)).size} techniques), ${cmds.length} commands, ${runs} round trips, ${failures.length} failures`);
  assert.equal(failures.length, 0, failures.slice(0, 6).join('\n'));
});

test('decoded layers name the technique that produced them', () => {
  const names = (s: string, shell?: 'cmd'): string[] => deobfuscate(s, { shell }).layers.slice(1).map((l) => l.technique);
  assert.ok(names('powershell -ec ' + Buffer.from('whoami', 'utf16le').toString('base64')).includes('powershell-encodedcommand'));
  assert.ok(names('cmd /V:ON /C "set r=imaohw&&for /L %i in (5,-1,0) do set o=!o!!r:~%i,1!&&if %i==0 call %o:~-6%"', 'cmd').includes('cmd-for-loop'));
  assert.ok(names('echo d2hvYW1p | base64 -d | sh').includes('base64-pipe'));
});

test('benign commands rarely produce layers (no decoding where nothing is hidden)', { skip: !hasCorpus }, () => {
  let n = 0;
  let layered = 0;
  for (const f of ['tldr-examples.jsonl', 'nl2bash.jsonl']) {
    for (const line of readFileSync(corpusPath('benign', f), 'utf8').split('\n')) {
      if (!line) continue;
      n++;
      if (deobfuscate((JSON.parse(line) as { command: string }).command).layers.length > 1) layered++;
    }
  }
  console.log(`benign: ${layered} of ${n} commands produced decoded layers`);
  assert.ok(layered / n < 0.005, `${layered} of ${n}`);
});
