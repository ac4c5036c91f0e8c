import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { toRawRecord } from '../../src/ingest/json/shapes.js';
import { osqueryTable } from '../../src/ingest/osquery/shape.js';
import { projectRoot } from '../helpers/corpus.js';
import { normalizer, readPaths } from './helpers-text.js';

const file = `${projectRoot}/test/fixtures/osquery/results.log`;
const rows = readFileSync(file, 'utf8').trim().split('\n').map((l, i) => toRawRecord(JSON.parse(l), file, i + 1, 0));

test('osquery result lines are json-osquery records with the table named from the query', () => {
  assert.deepEqual(rows.map((r) => r.format), Array(5).fill('json-osquery'));
  assert.deepEqual(rows.map((r) => r.data['osquery.table']), ['process_events', 'socket_events', 'socket_events', 'process_events', 'processes']);
  assert.deepEqual([rows[0].system.computer, rows[0].system.timeMs], ['lnx01', 1_700_000_000_000]);
  assert.equal((rows[4].data.snapshot as unknown[]).length, 2, 'a multi-row snapshot is kept whole');
  assert.equal(osqueryTable('whatever', { cmdline: 'x', path: '/x', parent: '1' }), 'process_events');
});

test('process_events → process start; socket connect/accept → endpoint network events; removed rows are not starts', () => {
  const ev = rows.map((r) => normalizer.normalize(r));
  assert.deepEqual(ev.map((e) => e.mapping), ['osquery-process-events', 'osquery-socket-connect', 'osquery-socket-accept', undefined, undefined]);
  const p = ev[0];
  if (p.kind !== 'process_start') return assert.fail('process_start');
  assert.deepEqual([p.process, p.parent], [{ pid: 901, image: '/usr/bin/dash', commandLine: 'sh -c id; uname -a', cwd: '/var/www/html', user: '33' }, { pid: 800 }]);
  const c = ev[1], a = ev[2];
  if (c.kind !== 'network' || a.kind !== 'network') return assert.fail('network');
  assert.deepEqual([c.initiated, c.observer, c.srcIp, c.dstIp, c.dstPort, c.protocol, c.process.pid], [true, 'endpoint', '10.0.0.5', '203.0.113.7', 4444, 'tcp', 902]);
  assert.deepEqual([a.initiated, a.srcIp, a.srcPort, a.dstIp, a.dstPort], [false, '198.51.100.9', 50123, '10.0.0.5', 22]);
});

test('through the JSON reader end to end, and a malformed result line is a located SW1003', async () => {
  const { events, readers, diags } = await readPaths([file]);
  assert.deepEqual([[...readers], events.length, diags], [['json'], 6, []], 'the two-row snapshot is two records');
  const other = toRawRecord({ name: 'x', hostIdentifier: 'h' }, 'f', 1, 0);
  assert.equal(other.format, 'json', 'no columns/snapshot and no time: not an osquery result');
});
