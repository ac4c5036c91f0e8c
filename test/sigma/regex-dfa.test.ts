// The lazy DFA of the regex engine agrees with the Pike VM it is built over: on every regex of the
// SigmaHQ and Hayabusa rules against the string values of the regression events (those containing the
// regex's required literal, where the regex actually runs), and on hand-written cases for assertions,
// non-ASCII units, case folding and cache overflow.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { regexLiteral } from '../../src/detect/sigma/regex/literal.js';
import { LinearRegex } from '../../src/detect/sigma/regex/vm.js';
import { hasCorpus } from '../helpers/corpus.js';
import { regressionStrings, ruleRegexes } from './helpers/regexes.js';

const agree = (r: LinearRegex, s: string): void => assert.equal(r.test(s), r.vm(s), `/${r.source}/${r.flags} on ${JSON.stringify(s.slice(0, 200))}`);

describe('regex lazy DFA = Pike VM', () => {
  it('agrees on hand-written cases (non-ASCII, case folding, dot, classes, alternation, repetition)', () => {
    const cases: [string, string, string[]][] = [
      ['a.c', '', ['abc', 'a\nc', 'ac', 'xxabcxx', 'aé c', 'aéc']],
      ['a.c', 's', ['a\nc', 'aéc']],
      ['é+x', 'i', ['ÉÉx', 'éx', 'ex', 'Éx']],
      ['[^a-z]{3}', '', ['abc', 'ab1', '12a3', 'ÅÄÖ']],
      ['(?:cmd|powershell)\\.exe\\s+/c', 'i', ['CMD.EXE /c', 'powershell.exe\t/C', 'cmd.exe/c', 'pwsh.exe /c']],
      ['\\w+`(?:\\w+|-|.)`[\\w+|\\s]', '', ['i`n`v`oke', 'a`-`b', 'plain']],
      ['x{2,4}y', '', ['xy', 'xxy', 'xxxxxy', 'xxxxxxxx']],
      ['', '', ['', 'a']],
      // one start unit: the search jumps to it (and must not when case folding or classes widen the start)
      ['\\\\[a-z]+\\.dat', '', ['c:\\x\\perfc.dat', 'perfc.dat', '\\\\.dat', 'a\\b\\c.dat x', 'é\\é.dat\\e.dat']],
      ['k[0-9]', 'i', ['\u212a1', 'K1', 'xk2', 'k', '\u212a']],
      ['\\+.*\\+', '', ['a+b+c', '+', 'a+', '++']],
      ['[+]x|y', '', ['y', '+x', '+y', 'x']],
    ];
    for (const [p, f, inputs] of cases) { const r = new LinearRegex(p, f); for (const s of inputs) agree(r, s); }
  });

  it('assertions run on the VM and still agree', () => {
    const r = new LinearRegex('^c:\\\\users\\b', 'i');
    for (const s of ['C:\\Users\\x', 'c:\\usersx', 'x c:\\users']) agree(r, s);
    assert.equal(r.dfaStates, 0);
  });

  it('an input that overflows the state cache finishes on the VM with the same answer', () => {
    // (a|b)*a(a|b){10}: the DFA needs ~2^11 states, past the cache bound
    const r = new LinearRegex('(?:a|b)*a(?:a|b){10}c', '');
    let x = 1;
    const rnd = (): number => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x; };
    for (let k = 0; k < 30; k++) {
      let s = '';
      for (let i = 0; i < 400; i++) s += (rnd() >> 16) % 2 ? 'a' : 'b';
      if (k % 3 === 0) s += 'c';
      agree(r, s);
    }
    assert.ok(r.dfaStates <= 512 && r.dfaStates > 100, `${r.dfaStates} states`);
  });

  it('agrees on every rule regex over the regression events', { skip: !hasCorpus }, () => {
    const res = ruleRegexes();
    const values = regressionStrings();
    const folded = values.map((s) => s.toLowerCase());
    let runs = 0;
    for (const { pattern, flags } of res) {
      const r = new LinearRegex(pattern, flags), lit = regexLiteral(pattern, flags);
      values.forEach((s, i) => { if (!lit || folded[i].includes(lit)) { agree(r, s); runs++; } });
    }
    assert.ok(res.length > 100 && runs > 1000, `${res.length} regexes, ${runs} runs`);
  });
});
