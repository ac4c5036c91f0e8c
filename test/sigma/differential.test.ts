// The fast path (routing caches + Aho-Corasick literal index) agrees with the plain reference evaluator
// on every regression event × every rule, and on mutated copies of them that exercise other routes.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RawRecord } from '../../src/core/index.js';
import { createEngine, loadRules, referenceMatcher } from '../../src/detect/sigma/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { regressionCases, SIGMA_RULE_DIRS } from './helpers/regression.js';

/** The same events as Security 4688 records (renamed fields), to exercise a second route. */
function as4688(rec: RawRecord): RawRecord | null {
  if (rec.system.eventId !== 1 || !rec.system.channel?.includes('Sysmon')) return null;
  const d = rec.data;
  return { ...rec, system: { ...rec.system, channel: 'Security', eventId: 4688, provider: 'Microsoft-Windows-Security-Auditing' },
    data: { NewProcessName: d.Image, ParentProcessName: d.ParentImage, CommandLine: d.CommandLine, NewProcessId: d.ProcessId, ProcessId: d.ParentProcessId, SubjectUserName: d.User } };
}

describe('fast path = reference evaluator', { skip: !hasCorpus }, () => {
  it('agrees on every regression event and every rule', () => {
    const { rules } = loadRules([...SIGMA_RULE_DIRS, corpusPath('hayabusa-rules')]);
    const fast = createEngine(rules);
    const ref = referenceMatcher(rules);
    const records = regressionCases().flatMap((c) => c.records);
    const all = [...records, ...records.map(as4688).filter((r): r is RawRecord => r !== null)];
    let compared = 0, hits = 0;
    for (const rec of all) {
      const a = [...new Set(fast.match(rec).filter((m) => m.rule.kind === 'rule').map((m) => m.rule.id))].sort();
      const b = [...new Set(ref(rec))].sort();
      assert.deepEqual(a, b, `record ${rec.ref.file}#${rec.ref.record} (${rec.system.channel} ${rec.system.eventId})`);
      compared++; hits += a.length;
    }
    assert.ok(compared > 150 && hits > compared, `${compared} records, ${hits} hits`);
  });
});
