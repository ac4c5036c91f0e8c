// The prefilters of regexes never reject a value the regex matches: the required run of one class
// (regex/run.ts) on hand-written cases around the run length and on every rule regex with a run over the
// regression events; the required literals (every one, regex/literal.ts) as the candidate index asks
// for them, on every rule regex over the same values, folded.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { regexLiterals } from '../../src/detect/sigma/regex/literal.js';
import { RunFilter } from '../../src/detect/sigma/regex/run.js';
import { regexRuns } from '../../src/detect/sigma/runtime/require.js';
import { LinearRegex } from '../../src/detect/sigma/regex/vm.js';
import { hasCorpus } from '../helpers/corpus.js';
import { regressionStrings, ruleRegexes } from './helpers/regexes.js';

/** The filter must pass every value the regex matches; returns whether it rejected `s`. */
function sound(f: RunFilter, r: LinearRegex, s: string): boolean {
  const pass = f.test(s);
  if (!pass) assert.equal(r.vm(s), false, `/${r.source}/${r.flags} rejected on ${JSON.stringify(s.slice(0, 200))}`);
  return !pass;
}

describe('regex run prefilter', () => {
  it('finds runs at every offset and length around k', () => {
    const p = '\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}';
    const f = RunFilter.of(p, '') as RunFilter, r = new LinearRegex(p, '');
    assert.equal(f.k, 64);
    const hex = (n: number): string => 'aB3'.repeat(n).slice(0, n);
    for (let pre = 0; pre < 70; pre += 3) {
      for (const n of [62, 63, 64, 65, 130]) {
        const s = `${'x y'.repeat(pre).slice(0, pre)} ${hex(n)} ${hex(16)}`;
        sound(f, r, s);
        assert.equal(f.test(s), n >= 64, `pre ${pre} run ${n}`);
      }
    }
    assert.equal(f.test(hex(63) + 'g' + hex(63)), false);
    assert.equal(RunFilter.of('[a-f]{7}', ''), null); // too short to be worth it
    assert.equal(RunFilter.of('(?:[a-f]{9}|x)', ''), null); // not required
    assert.equal((RunFilter.of('x(?:y[a-f]{9})z', '') as RunFilter).k, 9); // a group without alternation
  });

  it('case folding and non-ASCII units follow the regex', () => {
    const p = 'k{8}', r = new LinearRegex(p, 'i'), f = RunFilter.of(p, 'i') as RunFilter;
    for (const s of ['kkkkKKKK', '\u212akkkkkkk', 'kkk\u212akkkk', 'kkkkkkk', 'xkkkkkkkkx']) { sound(f, r, s); assert.equal(f.test(s), r.vm(s), s); }
  });

  it('never rejects what a rule regex matches', { skip: !hasCorpus }, () => {
    const regexes = ruleRegexes();
    const values = regressionStrings();
    let filters = 0, rejected = 0;
    for (const { pattern, flags } of regexes) {
      const f = RunFilter.of(pattern, flags);
      if (!f) continue;
      filters++;
      const r = new LinearRegex(pattern, flags);
      for (const s of values) if (sound(f, r, s)) rejected++;
    }
    assert.ok(filters >= 5 && rejected > 1000, `${filters} filters, ${rejected} rejections`);
  });

  it('required literals: every run a match contains, none inside another', () => {
    assert.deepEqual(regexLiterals('\\s-\\s*<', ''), ['-', '<']);
    assert.deepEqual(regexLiterals('ab(?:cd|ef)gh+i', 'i'), ['ab', 'g', 'h', 'i']);
    assert.deepEqual(regexLiterals('(?:x|y)', ''), []);
    assert.deepEqual(regexLiterals('abc.*bc', ''), ['abc']);
    // İ matches a case-insensitive i but folds to "i" + U+0307: literals with a unit after an i are left
    // to the longest literal (the regex's own prefilter)
    const lits = (p: string): string[] | undefined => regexRuns('F', { t: 're', pattern: p, flags: 'i' })?.map((alts) => alts[0].text);
    assert.deepEqual(lits('abcdef.ix'), ['abcdef']);
    assert.deepEqual(lits('abcdef.xi'), ['abcdef', 'xi']);
    assert.equal(new LinearRegex('abcdef.ix', 'i').test('abcdefZ\u0130x'), true);
  });

  it('required literals: present in the folded text of every value a rule regex matches', { skip: !hasCorpus }, () => {
    const regexes = ruleRegexes();
    const values = regressionStrings(), folded = values.map((s) => s.toLowerCase());
    let matched = 0;
    for (const v of regexes) {
      const need = (regexRuns('F', { t: 're', ...v }) ?? []).map((alts) => alts[0].text);
      if (!need.length) continue;
      const r = new LinearRegex(v.pattern, v.flags);
      values.forEach((s, i) => {
        if (need.every((l) => folded[i].includes(l))) return;
        assert.equal(r.vm(s), false, `/${v.pattern}/${v.flags} matches ${JSON.stringify(s.slice(0, 200))} without ${need.join(', ')}`);
      });
      matched++;
    }
    assert.ok(matched > 100, `${matched} regexes`);
  });
});
