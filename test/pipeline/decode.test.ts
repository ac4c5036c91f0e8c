// Detection on every decoded layer, end to end: a reverse shell hidden in base64 inside a scheduled
// task is found as what it is, by the built-in detectors and by a Sigma rule, with the layer chain.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/core/index.js';
import { defaultDetectors, hunt } from '../../src/pipeline/index.js';
import { projectRoot } from '../helpers/corpus.js';

const F = join(projectRoot, 'test', 'fixtures', 'decode');

test('a reverse shell base64-encoded in a scheduled task fires on its decoded layer, with the chain', async () => {
  const alerts: Alert[] = [];
  await hunt([join(F, 'encoded-reverse-shell-task.json')], { detectors: defaultDetectors(), rules: { paths: [join(F, 'tcpclient.yml')] }, threads: 1 }, (a) => alerts.push(a));
  const byRule = (id: string) => alerts.filter((a) => a.rule.id === id);
  const task = alerts.filter((a) => a.event.record === 7001);
  assert.ok(task.some((a) => a.rule.id === 'shell-via-scheduled-task-or-service'));
  const rev = task.find((a) => a.rule.id === 'shell-over-reverse-connection');
  assert.ok(rev, 'the task action is a reverse shell once decoded');
  assert.match(rev.decoded[0].technique, /^powershell-encodedcommand/);
  assert.match(rev.decoded[0].text, /TCPClient\('203\.0\.113\.9',4444\)/);
  const sigma = byRule('2b8e5f3c-8a61-4b7e-9f0d-6c1a2e4d5b70');
  assert.deepEqual(sigma.map((a) => a.event.record), [7002], 'the Sigma rule sees the decoded command line of the 4688');
  assert.match(sigma[0].reason, /^in decoded layer 1 \(powershell-encodedcommand\): /);
  assert.equal(sigma[0].evidence.decodedLayer, 1);
  for (const a of alerts) if (a.event.record === 7002) assert.ok(a.decoded.length >= 1, `${a.rule.id} carries the decoded layers`);
});
