// Every corpus JSON input is read: SigmaHQ's regression .json files and OTRF's Windows zips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hunt } from '../../src/pipeline/index.js';
import { corpusPath } from '../helpers/corpus.js';

test('sigma/regression_data: every .json file yields records and no malformed-record diagnostic', async () => {
  const s = await hunt([corpusPath('sigma', 'regression_data')], { detectors: [] }, () => {});
  const json = s.files.filter((f) => f.name.endsWith('.json'));
  assert.ok(json.length >= 120, `only ${json.length} json files`);
  for (const f of json) {
    assert.equal(f.reader, 'json', f.name);
    assert.ok(f.records > 0, `${f.name} yielded no record`);
    assert.equal(f.diagnostics, 0, f.name);
  }
  assert.equal(s.diagnosticsByCode.SW1003, undefined);
});

test('otrf-security-datasets: every Windows and Zeek zip entry is read, with events per file', async () => {
  const s = await hunt([corpusPath('otrf-security-datasets')], { detectors: [] }, () => {});
  const entries = s.files.filter((f) => f.name.includes('.zip!'));
  assert.ok(entries.length >= 60);
  for (const f of entries) {
    if (/\.(log)$/.test(f.name) && f.name.includes('/linux/')) continue; // raw auditd: the auditd reader (issue 5)
    if (f.name.endsWith('.pcapng')) continue; // packet captures are not telemetry we read
    assert.ok(f.records > 0, `${f.name} yielded no record`);
  }
  assert.equal(s.diagnosticsByCode.SW1005, undefined, 'no damaged-archive diagnostic');
  assert.ok(s.eventsByKind.process_start > 200);
});
