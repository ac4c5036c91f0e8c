// The fast path (routing caches + Aho-Corasick literal index) agrees with the plain reference evaluator
// on every regression event × every rule, and on mutated copies of them that exercise other routes.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RawRecord } from '../../src/core/index.js';
import { createEngine, loadRules, referenceMatcher } from '../../src/detect/sigma/index.js';
import { readAll } from '../../src/ingest/read.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { regressionCases, SIGMA_RULE_DIRS } from './helpers/regression.js';

/** The same events as Security 4688 records (renamed fields), to exercise a second route. */
function as4688(rec: RawRecord): RawRecord | null {
  if (rec.system.eventId !== 1 || !rec.system.channel?.includes('Sysmon')) return null;
  const d = rec.data;
  return { ...rec, system: { ...rec.system, channel: 'Security', eventId: 4688, provider: 'Microsoft-Windows-Security-Auditing' },
    data: { NewProcessName: d.Image, ParentProcessName: d.ParentImage, CommandLine: d.CommandLine, NewProcessId: d.ProcessId, ProcessId: d.ParentProcessId, SubjectUserName: d.User } };
}

/** Every process-creation record (Sysmon 1, Security 4688) of the EVTX and OTRF corpus, as the readers produce them. */
async function corpusProcessStarts(): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const item of readAll([corpusPath('evtx-attack-samples'), corpusPath('otrf-security-datasets', 'datasets')])) {
    if (!('results' in item)) continue;
    for (const r of item.results) {
      const rec = r.record;
      if (rec && ((rec.system.eventId === 1 && rec.system.channel?.includes('Sysmon')) || rec.system.eventId === 4688)) out.push(rec);
    }
  }
  return out;
}

const ids = (ms: { rule: { id: string; kind: string } }[]): string[] => [...new Set(ms.filter((m) => m.rule.kind === 'rule').map((m) => m.rule.id))].sort();

describe('fast path = reference evaluator', { skip: !hasCorpus }, () => {
  const { rules } = hasCorpus ? loadRules([...SIGMA_RULE_DIRS, corpusPath('hayabusa-rules')]) : { rules: [] };

  it('agrees on every process-creation record of the corpus (twice: the second pass reads the field memo)', async () => {
    const records = await corpusProcessStarts();
    const fast = createEngine(rules);
    const ref = referenceMatcher(rules);
    let hits = 0;
    const want = records.map((rec) => [...new Set(ref(rec))].sort());
    for (let pass = 0; pass < 2; pass++) {
      records.forEach((rec, i) => {
        const got = ids(fast.match(rec));
        assert.deepEqual(got, want[i], `pass ${pass}: ${rec.ref.file}#${rec.ref.record} (${rec.system.channel} ${rec.system.eventId})`);
        hits += got.length;
      });
    }
    assert.ok(records.length > 500 && hits > 0, `${records.length} records, ${hits} hits`);
  });

  it('agrees on every regression event and every rule', () => {
    const fast = createEngine(rules);
    const ref = referenceMatcher(rules);
    const records = regressionCases().flatMap((c) => c.records);
    const all = [...records, ...records.map(as4688).filter((r): r is RawRecord => r !== null)];
    let compared = 0, hits = 0;
    for (const rec of all) {
      const a = ids(fast.match(rec));
      const b = [...new Set(ref(rec))].sort();
      assert.deepEqual(a, b, `record ${rec.ref.file}#${rec.ref.record} (${rec.system.channel} ${rec.system.eventId})`);
      compared++; hits += a.length;
    }
    assert.ok(compared > 150 && hits > compared, `${compared} records, ${hits} hits`);
  });
});
