// The benign false-positive suite: ~22,000 real command lines (tldr examples, nl2bash) run through
// all six detectors as a user would type them. A playbook alert on a non-dual-use line is a bug;
// dual-use lines (nc -e, psexec, mimikatz …) are only counted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { firing, linuxLine, windowsLine } from './helpers.js';

interface Line { command: string; platform?: string; dualUse?: boolean; page?: string }

const readJsonl = (file: string): Line[] =>
  readFileSync(corpusPath('benign', file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

interface Tally { lines: number; events: number; bad: string[]; dual: number; dualLines: number }

function runAll(lines: Line[]): Tally {
  const t: Tally = { lines: 0, events: 0, bad: [], dual: 0, dualLines: 0 };
  for (const l of lines) {
    t.lines++;
    const evs = [linuxLine(l.command)];
    if (l.platform === 'windows') evs.push(windowsLine(l.command));
    for (const ev of evs) {
      t.events++;
      const ids = firing(ev);
      if (!ids.length) continue;
      if (l.dualUse) { t.dual += ids.length; t.dualLines++; } else t.bad.push(`${ids.join(',')}: ${ev.process.commandLine}`);
    }
  }
  return t;
}

function report(name: string, t: Tally): void {
  console.log(`[benign] ${name}: ${t.lines} lines, ${t.events} events, ${t.bad.length} alerts on non-dual-use, ${t.dual} alerts on ${t.dualLines} dual-use events`);
  for (const b of t.bad.slice(0, 40)) console.log(`  FP ${b.slice(0, 300)}`);
}

test('tldr examples: no playbook alert on non-dual-use lines', { skip: !hasCorpus }, () => {
  const t = runAll(readJsonl('tldr-examples.jsonl'));
  report('tldr-examples', t);
  assert.ok(t.lines > 15000);
  assert.equal(t.bad.length, 0);
});

test('nl2bash: no playbook alert on any line', { skip: !hasCorpus }, () => {
  const t = runAll(readJsonl('nl2bash.jsonl'));
  report('nl2bash', t);
  assert.ok(t.lines > 6000);
  assert.equal(t.bad.length, 0);
});
