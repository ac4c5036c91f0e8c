// A bounded mutation-fuzz batch over corpus files (the long run is `npm run fuzz`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { baseline, checkCase, mutate, rng } from './fuzzer.js';

const FILES = [
  ['evtx-attack-samples', 'Command and Control', 'bits_openvpn.evtx'],
  ['evtx-attack-samples', 'AutomatedTestingTools', 'PanacheSysmon_vs_AtomicRedTeam01.evtx'],
  ['evtx-attack-samples', 'Defense Evasion', 'DE_1102_security_log_cleared.evtx'],
  ['hayabusa-sample-evtx', 'EVTX-to-MITRE-Attack', 'TA0003-Persistence', 'T1546-Event Triggered Execution', 'ID800-4103-4104-WMI registration via PowerLurk.evtx'],
];
const CASES_PER_FILE = 120;

test('mutated corpus files: no throw, no hang, undamaged chunks keep their records', { skip: !hasCorpus && 'corpus not present', timeout: 120_000 }, () => {
  const failures: string[] = [];
  let cases = 0;
  FILES.forEach((parts, fi) => {
    const base = baseline(readFileSync(corpusPath(...parts)));
    const r = rng(0xe7c0 + fi);
    for (let i = 0; i < CASES_PER_FILE; i++) {
      const { data, kind } = mutate(base.buf, r);
      const why = checkCase(base, data, 2000);
      cases++;
      if (why) failures.push(`${parts.at(-1)} case ${i} (${kind}): ${why}`);
    }
  });
  assert.deepEqual(failures.slice(0, 10), []);
  assert.equal(cases, FILES.length * CASES_PER_FILE);
});
