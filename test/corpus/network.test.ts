// Reverse-connection detection from network logs alone, on the corpus's Zeek logs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../../src/core/index.js';
import { defaultDetectors, hunt } from '../../src/pipeline/index.js';
import { corpusPath } from '../helpers/corpus.js';

async function alerts(path: string): Promise<Alert[]> {
  const out: Alert[] = [];
  await hunt([path], { detectors: defaultDetectors() }, (a) => out.push(a));
  return out;
}

test('the APT29 day-2 command-and-control beaconing to 192.168.0.4:443 is found in the Zeek logs', async () => {
  const found = await alerts(corpusPath('otrf-security-datasets', 'datasets', 'compound', 'apt29', 'day2', 'zeek'));
  const beacon = found.filter((a) => a.rule.id === 'shell-over-reverse-connection' && a.evidence.view === 'beaconing');
  assert.deepEqual(beacon.map((a) => `${a.evidence.source}>${a.evidence.remote}`), ['10.0.1.5>192.168.0.4:443']);
  assert.equal(found.length, beacon.length, 'nothing else fires on these logs');
});

test('the benign zat Zeek samples raise nothing', async () => {
  assert.deepEqual(await alerts(corpusPath('zat-zeek-samples')), []);
});
