import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { toRawRecord } from '../../src/ingest/json/shapes.js';
import { netflowSource, readFlowCsv, splitCsv } from '../../src/ingest/netflow/index.js';
import { projectRoot } from '../helpers/corpus.js';
import { codes, normalizer, readPaths, records, run } from './helpers-text.js';

const dir = `${projectRoot}/test/fixtures/netflow`;
const fx = (f: string) => readFileSync(`${dir}/${f}`);
const net = (e: ReturnType<typeof normalizer.normalize>) => (e.kind === 'network' ? e : assert.fail(`network, got ${e.kind}`));

test('nfdump CSV: flows become network events with duration, bytes/packets each way, flags; Summary skipped', async () => {
  const r = await run(readFlowCsv, fx('nfdump.csv'), 64);
  assert.deepEqual(codes(r), []);
  const ev = records(r).map((x) => net(normalizer.normalize(x)));
  assert.equal(ev.length, 2);
  const { srcIp, srcPort, dstIp, dstPort, protocol, durationMs, bytesOut, packetsOut, state, observer, time, mapping } = ev[0];
  assert.deepEqual({ srcIp, srcPort, dstIp, dstPort, protocol, durationMs, bytesOut, packetsOut, state, observer, time, mapping },
    { srcIp: '10.0.0.5', srcPort: 41000, dstIp: '203.0.113.7', dstPort: 4444, protocol: 'tcp', durationMs: 5_400_000, bytesOut: 120000, packetsOut: 1800, state: '.AP.SF', observer: 'network', time: Date.parse('2023-11-14T22:13:20.300Z'), mapping: 'netflow-flow' });
});

test('long column names and quoted cells; JSON flow records (nfdump -o json) map the same way', async () => {
  const ev = records(await run(readFlowCsv, fx('long-names.csv'))).map((x) => net(normalizer.normalize(x)));
  assert.deepEqual(ev.map((e) => [e.srcIp, e.dstPort, e.protocol, e.durationMs, e.bytesOut, e.packetsOut]), [['10.0.0.7', 8443, 'tcp', 60000, 3200, 40], ['10.0.0.7', 443, 'udp', 1000, 120, 2]]);
  const [j] = JSON.parse(fx('nfdump.json').toString()) as Record<string, unknown>[];
  const rec = toRawRecord(j, 'f.json', 1, 0);
  assert.equal(rec.format, 'json-netflow');
  const e = net(normalizer.normalize(rec));
  assert.deepEqual([e.srcIp, e.dstPort, e.durationMs, e.bytesOut, e.bytesIn, e.packetsOut, e.packetsIn], ['10.0.0.5', 4444, 5_400_000, 120000, 90000, 1800, 1700]);
  const { events, diags } = await readPaths([dir]);
  assert.deepEqual([events.length, diags.filter((c) => c !== 'SW1011')], [5, []], 'README skipped (SW1011), nothing else');
});

test('bad input: short row SW1012, cut last row SW1008; sniff rejects non-flow CSV; CSV quotes', async () => {
  const r = await run(readFlowCsv, 'sa,da,sp,dp,pr,ts\n1.1.1.1,2.2.2.2,1,2,6,1700000000\n1.1.1.1,2.2.2.2\n1.1.1.1,2.2.2.2,1');
  assert.deepEqual(codes(r), ['SW1012@3', 'SW1008@4']);
  assert.ok(netflowSource.sniff(fx('nfdump.csv'), 'x.csv') >= 0.9);
  assert.equal(netflowSource.sniff(Buffer.from('name,age\nbob,3\n'), 'x.csv'), 0);
  assert.deepEqual(splitCsv('a,"b,""c""",d'), ['a', 'b,"c"', 'd']);
});
