// The compiled-rule cache returns exactly what a fresh load returns, and recompiles changed files.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadRules } from '../../src/detect/sigma/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';

describe('compiled-rule cache', { skip: !hasCorpus }, () => {
  const src = corpusPath('sigma', 'rules', 'windows', 'process_creation');
  const dir = mkdtempSync(join(tmpdir(), 'sigma-cache-rules-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'sigma-cache-'));
  for (const f of readdirSync(src).filter((n) => n.endsWith('.yml')).sort().slice(0, 40)) cpSync(join(src, f), join(dir, f));
  writeFileSync(join(dir, 'broken.yml'), 'title: [unclosed\n');

  it('a cached load equals a fresh one', () => {
    const fresh = loadRules([dir], { cache: false });
    const first = loadRules([dir], { cache: cacheDir });
    const cached = loadRules([dir], { cache: cacheDir });
    assert.ok(readdirSync(cacheDir).some((n) => n.endsWith('.json')), 'cache written');
    assert.ok(fresh.rules.length >= 35 && fresh.diagnostics.length >= 1);
    assert.deepEqual(first, fresh);
    assert.deepEqual(cached, fresh);
  });

  it('a changed file is recompiled', () => {
    loadRules([dir], { cache: cacheDir });
    const f = join(dir, readdirSync(dir).filter((n) => n.endsWith('.yml') && n !== 'broken.yml').sort()[0]);
    writeFileSync(f, 'title: replaced\nid: 11111111-2222-3333-4444-555555555555\nlogsource: {product: windows, category: process_creation}\ndetection: {sel: {Image|endswith: \\x.exe}, condition: sel}\n');
    const after = loadRules([dir], { cache: cacheDir });
    assert.deepEqual(after, loadRules([dir], { cache: false }));
    assert.ok(after.rules.some((r) => r.id === '11111111-2222-3333-4444-555555555555'));
  });
});
