// Corpus suite: for every file PROVENANCE.md tags with playbook alerts (D1–D6), report which built-in
// alerts fire, and assert the cases confirmed by reading the events (expected.ts).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultDetectors, hunt } from '../../src/pipeline/index.js';
import { corpusPath } from '../helpers/corpus.js';
import { CONFIRMED } from './expected.js';

const LETTER: Record<string, string> = {
  D1: 'unusual-shell-execution', D2: 'interactive-shell-from-service', D3: 'encoded-obfuscated-cli',
  D4: 'shell-over-reverse-connection', D5: 'chained-commands', D6: 'shell-via-scheduled-task-or-service',
};

function tagged(): { path: string; letters: string[] }[] {
  const text = readFileSync(corpusPath('PROVENANCE.md'), 'utf8');
  const rows: { path: string; letters: string[] }[] = [];
  for (const m of text.matchAll(/^\| `([^`]+)` \| ([^|]+) \|/gm)) {
    const letters = [...m[2].matchAll(/D[1-6]/g)].map((x) => x[0]);
    if (letters.length) rows.push({ path: m[1], letters });
  }
  return rows;
}

const rows = tagged();

test('PROVENANCE lists playbook-tagged files and every confirmed case is among them', () => {
  assert.ok(rows.length >= 60);
  const listed = new Set(rows.map((r) => r.path));
  for (const p of Object.keys(CONFIRMED)) assert.ok(listed.has(p), `${p} is not tagged in PROVENANCE.md`);
});

test('built-in alerts on every PROVENANCE-tagged file; confirmed cases fire', async (t) => {
  const missing: string[] = [];
  const report: string[] = [];
  for (const { path, letters } of rows) {
    const full = corpusPath(path);
    if (!existsSync(full)) { report.push(`absent ${path}`); continue; }
    const fired = new Map<string, number>();
    await hunt([full], { detectors: defaultDetectors() }, (a) => fired.set(a.rule.id, (fired.get(a.rule.id) ?? 0) + 1));
    const got = [...fired].map(([k, v]) => `${k}×${v}`).join(' ') || '-';
    const want = letters.map((l) => `${l}:${LETTER[l]}`).join(' ');
    report.push(`${path}\n    tagged ${want}\n    fired  ${got}`);
    for (const id of CONFIRMED[path] ?? []) if (!fired.has(id)) missing.push(`${path}: ${id}`);
  }
  t.diagnostic(`\n${report.join('\n')}`);
  assert.deepEqual(missing, []);
});
