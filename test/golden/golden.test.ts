// Golden tests of `hunt` output over the bundled samples and our fixtures. Same input → same bytes.
// Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/core/index.js';
import { defaultDetectors, hunt } from '../../src/pipeline/index.js';
import { projectRoot } from '../helpers/corpus.js';

async function run(paths: string[]): Promise<string> {
  const lines: string[] = [];
  await hunt(paths, { detectors: defaultDetectors() }, (a: Alert) => lines.push(JSON.stringify(a)));
  return lines.join('\n') + '\n';
}

for (const [name, paths] of [['samples', ['samples']], ['fixtures', ['test/fixtures/hunt']]] as const) {
  test(`golden: hunt ${paths.join(' ')}`, async () => {
    process.chdir(projectRoot);
    const got = await run([...paths]);
    const file = join(projectRoot, 'test', 'golden', `${name}.jsonl`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, got);
    assert.equal(got, readFileSync(file, 'utf8'));
    assert.equal(await run([...paths]), got, 'deterministic');
  });
}
