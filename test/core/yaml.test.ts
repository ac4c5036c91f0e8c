import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { parseYaml } from '../../src/core/index.js';
import { parseFast } from '../../src/core/yaml-fast.js';
import { projectRoot } from '../helpers/corpus.js';

function yamlUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...yamlUnder(p));
    else if (/\.ya?ml$/.test(n)) out.push(p);
  }
  return out;
}

test('every YAML file a hunt reads at start (mappings, catalogs, allowlists) is read by the fast reader, as `yaml` reads it', () => {
  // the Sigma field pipelines are read with the rules, when `yaml` is loaded anyway (their event id
  // keys are numbers, outside the fast subset)
  const sigma = join(projectRoot, 'src', 'detect', 'sigma');
  const files = [...yamlUnder(join(projectRoot, 'src')).filter((f) => !f.startsWith(sigma)), ...yamlUnder(join(projectRoot, 'rules', 'allowlist'))];
  assert.ok(files.length >= 10, `${files.length} files`);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const fast = parseFast(text);
    assert.ok(fast && fast.length === 1, `${f}: outside the fast subset (every process would load the yaml package to read it)`);
    assert.deepEqual(parseYaml(text), parse(text), f);
  }
});

test('parseYaml falls back to `yaml` outside the subset and fails as it does', () => {
  const cases = [
    'a: &x 1\nb: *x\n', // anchors and aliases
    'a: 1\r\nb: [2, 3]\r\n', // CRLF
    '--- !!map\na: 1\n', // tags
    'a: |+\n  keep\n\n', // keep chomping
    '---\na: 1\n', // a leading marker
    '',
  ];
  for (const c of cases) assert.deepEqual(parseYaml(c), parse(c), JSON.stringify(c));
  for (const bad of ['a: 1\na: 2\n', 'a: 1\n---\nb: 2\n', 'a: 1\n---\n', 'a: [1, 2\n', 'a:\n  - 1\n b: 2\n']) {
    assert.throws(() => parse(bad), JSON.stringify(bad));
    assert.throws(() => parseYaml(bad), JSON.stringify(bad));
  }
});
