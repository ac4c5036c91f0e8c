// The fast YAML reader against the `yaml` package: on every rule file of the corpus (and on edge cases),
// documents the fast path reads have the same values, indexes and source positions (document start and
// `locate` for every path); files it does not fully understand fall back to `yaml`.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../src/core/index.js';
import { listRuleFiles, readRuleFile, readRuleFileYaml, type RawDoc } from '../../src/detect/sigma/reader.js';
import { parseFast } from '../../src/core/yaml-fast.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { SIGMA_RULE_DIRS } from './helpers/regression.js';

/** Every path into a value (maps by key, sequences by index), plus a few that lead nowhere. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  if (prefix.length < 3) out.push([...prefix, 'no such key'], [...prefix, 7]);
  return out;
}

/** Asserts that the fast reader and `yaml` agree on `text`; returns whether the fast path read it. */
function compare(name: string, text: string): boolean {
  const fast = parseFast(text) !== null;
  const d1: Diagnostic[] = [], d2: Diagnostic[] = [];
  const a = readRuleFile(name, text, d1), b = readRuleFileYaml(name, text, d2);
  if (!fast) return false;
  assert.deepEqual(d2, [], `${name}: yaml reports errors the fast path missed`);
  assert.equal(a.length, b.length, `${name}: document count`);
  a.forEach((x: RawDoc, i) => {
    const y = b[i];
    assert.deepStrictEqual(x.value, y.value, `${name}#${i}: value`);
    assert.deepEqual([x.index, x.line, x.column], [y.index, y.line, y.column], `${name}#${i}: index and start`);
    for (const p of paths(y.value)) assert.deepEqual(x.locate(p), y.locate(p), `${name}#${i}: locate ${JSON.stringify(p)}`);
  });
  return true;
}

describe('fast YAML reader', () => {
  it('agrees with yaml on edge cases (or falls back)', () => {
    const cases = [
      'a: 1\nb: two\nc: 0x1F\nd: 0o17\ne: 1.5\nf: .inf\ng: -.Inf\nh: .nan\ni: ~\nj: null\nk: True\nl: 1e3\nm: +12\nn: -0\no:\np: 012\n',
      'title: a\n  long plain\n\n  value here\nnext: x # comment\n',
      "q: 'it''s'\nr: \"tab\\there \\u00e9 \\x41 \\\\ \\\"\"\ns: \"folded\n  line\n\n  two\"\nt: 'single\n   fold'\nu: \"esc\\\n   aped\"\n",
      'lit: |\n  line 1\n    indented\n\n  line 3\nfold: >\n  a\n  b\n\n  c\nstrip: |-\n  x\n\n\nclip: >-\n  y\n  z\nafter: 1\n',
      'seq:\n- a\n- b: 1\n  c: [x, "y", 3]\n- - nested\n  - more\nflow: {a: 1, b: [2, 3]}\nempty: []\n',
      '# leading comment\n---\nid: 1\n---\n---\nid: 2\n# trailing\n---\n',
      'detection:\n    selection:\n        Image|endswith:\n            - \'\\cmd.exe\'\n            - \'\\powershell.exe\'\n        CommandLine|contains|all: [ " -enc ", "-w hidden" ]\n    condition: selection\n',
      'a: &x 1\nb: *x\n', 'a: !!str 1\n', '? complex\n: key\n', 'a: 1\na: 2\n', 'a: |+\n  keep\n\n', 'a:\tb\n', 'a: b: c\n',
      'a: "unterminated\n', 'a: [1, 2\n', 'a:\n  - 1\n - 2\n', 'k: v\n- x\n', '- a\n- b\n', 'a: |\n  no final newline',
      'a: "x" # c\nb: \'y\'#c\n', 'k:   # c\n  v: 1\nb: :x\nd: |\n  x', 'c: [:x, a]\n',
      'a  : spaced key\nb: trailing   \nc: multi   \n  line   \n', '- plain\n  continued\n- x: 1\n  y:\n    - deep\n', '"k\\"q": 1\n\'k\'\'s\': 2\n',
      'f: {a: [1, {b: c}], d: "e"}\ng: [ ]\nh: {}\n', 'lit: |\n  a\n# not content\nb: 1\n', 'lit: |\n    a\n  # less indented\nb: 1\n',
      'fold: >\n\n  leading\n', 'fold: >\n  a\n    more\n  b\n', 'lit: |\n  a\n    \n  b\n', '--- # doc\na: 1\n...\n', '1: a\n', 'true: a\n',
      'a:\n  b: 1\n   c: 2\n', 'a: "C:\\Windows"\n', 'a: "bad \\q"\n', 'a: [a,\n    b]\nb: [\n  c, d\n  ]\n', 'a: [a\n  b]\n', 'a: - b\n',
      'a: x #c\n  y\n', 'seq:\n  -\n    a: 1\n  - \n', 'a: \'x\n\n   y\'\n', 'a: "x  \\t\n  y"\n', 'a: \'\'\nb: ""\n', 'a: |-\n  x\n\n\nb: >\n  y\n\n\n',
      'root:\n    - a\n    - b\nnext: 1\n', 'a: 007\nb: 0.5.1\nc: 1_000\nd: -.5\ne: 5.\nf: 1E5\n', 'a: b # c\n# d\n  # e\nf: g\n', 'a:\n\n  b\n', 'x: {a: 1, a: 2}\n', '"quoted key": 1\n\'single\': 2\n', 'url: http://x/y:z\npath: C:\\Windows\\x\n',
    ];
    let fast = 0;
    for (const [i, t] of cases.entries()) if (compare(`case${i}`, t)) fast++;
    assert.ok(fast >= 10, `fast path read ${fast} cases`);
  });

  it('agrees with yaml on every corpus rule file', { skip: !hasCorpus }, () => {
    const files = listRuleFiles([...SIGMA_RULE_DIRS, corpusPath('hayabusa-rules')], []);
    let fast = 0, docs = 0;
    const fell: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (compare(f, text)) { fast++; docs += parseFast(text)?.length ?? 0; } else fell.push(f);
    }
    console.log(`fast YAML reader: ${fast}/${files.length} files (${docs} documents) without fallback; fell back: ${fell.length}`);
    assert.ok(fast >= files.length * 0.95, `only ${fast}/${files.length} files on the fast path`);
  });
});
