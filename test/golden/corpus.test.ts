// Golden test of `hunt` over the whole shared corpus (../shared/corpus, read-only, by path): the alerts'
// bytes, compared as a digest so the corpus itself is never copied here. Decoded layers are left out of
// the digest, and so are alerts raised only in a decoded layer: decoding still has a wall-clock budget
// (issue 14), so under load a long line may decode fewer layers. Everything else must be byte-identical.
// Regenerate after an intended change with UPDATE_GOLDEN=1 and review why it changed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/core/index.js';
import { defaultDetectors, hunt } from '../../src/pipeline/index.js';
import { corpusPath, hasCorpus, projectRoot } from '../helpers/corpus.js';

const file = join(projectRoot, 'test', 'golden', 'corpus.json');

test('golden: hunt over the whole corpus gives the same alerts (digest)', { skip: !hasCorpus && 'corpus not found' }, async () => {
  const root = corpusPath();
  const lines: string[] = [];
  const byRule: Record<string, number> = {};
  await hunt([root], { detectors: defaultDetectors() }, (a: Alert) => {
    if (a.reason.includes('in decoded layer')) return;
    const { decoded: _decoded, ...rest } = a;
    // paths relative to the corpus, so the digest does not depend on where the clone sits
    lines.push(JSON.stringify(rest).split(JSON.stringify(root).slice(1, -1)).join('<corpus>'));
    byRule[a.rule.id] = (byRule[a.rule.id] ?? 0) + 1;
  });
  const got = { alerts: lines.length, byRule: Object.fromEntries(Object.entries(byRule).sort()), sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, JSON.stringify(got, null, 2) + '\n');
  assert.deepEqual(got, JSON.parse(readFileSync(file, 'utf8')));
});
