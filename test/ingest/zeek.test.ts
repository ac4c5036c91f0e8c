import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toRawRecord } from '../../src/ingest/json/shapes.js';
import { readZeek, zeekSource } from '../../src/ingest/zeek/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { codes, countKinds, normalizer, readPaths, records, run } from './helpers-text.js';

const HDR = '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\torig_pkts\tresp_pkts\ttunnel_parents\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tcount\tcount\tset[string]\n';
const ROW = '1700000000.300000\tCabc123\t10.0.0.5\t41000\t203.0.113.7\t4444\ttcp\t-\t5400.25\t120000\t90000\tSF\t1800\t1700\ta,b\n';

test('TSV conn.log: typed values, unset left out, sets as arrays; becomes a network-observed connection', async () => {
  const r = await run(readZeek, HDR + ROW, 31);
  assert.deepEqual(codes(r), []);
  const [rec] = records(r);
  assert.equal(rec.format, 'zeek');
  assert.equal(rec.data.service, undefined);
  assert.deepEqual(rec.data.tunnel_parents, ['a', 'b']);
  const ev = normalizer.normalize(rec);
  if (ev.kind !== 'network') return assert.fail('network');
  assert.deepEqual({ ...ev, raw: undefined, event: undefined, system: undefined, format: undefined }, {
    kind: 'network', time: 1700000000300, host: '', event: undefined, raw: undefined, mapping: 'zeek-conn', process: {}, protocol: 'tcp', initiated: true, observer: 'network',
    srcIp: '10.0.0.5', srcPort: 41000, dstIp: '203.0.113.7', dstPort: 4444, durationMs: 5400250, bytesOut: 120000, bytesIn: 90000, packetsOut: 1800, packetsIn: 1700,
    state: 'SF', connectionId: 'Cabc123', system: undefined, format: undefined,
  });
});

test('JSON conn entries (id.orig_h, id_orig_h with @stream, nested id) normalize the same way', () => {
  const base = { ts: 1700000000.3, uid: 'C1', proto: 'tcp', duration: 1.5, orig_bytes: 10, resp_bytes: 20, conn_state: 'SF' };
  const a = toRawRecord({ ...base, 'id.orig_h': '10.0.0.5', 'id.orig_p': 1, 'id.resp_h': '10.0.0.6', 'id.resp_p': 443 }, 'x/conn.log', 1, 0);
  const b = toRawRecord({ '@stream': 'conn', '@system': 'nsm', '@proc': 'zeek', ...base, id_orig_h: '10.0.0.5', id_orig_p: 1, id_resp_h: '10.0.0.6', id_resp_p: 443 }, 'x.json', 1, 0);
  const c = toRawRecord({ ...base, id: { orig_h: '10.0.0.5', orig_p: 1, resp_h: '10.0.0.6', resp_p: 443 } }, 'x.json', 1, 0);
  const dns = toRawRecord({ '@stream': 'dns', '@proc': 'zeek', ts: 1, uid: 'C2', id_orig_h: '10.0.0.5', query: 'x' }, 'x.json', 1, 0);
  const pick = (e: ReturnType<typeof normalizer.normalize>) => (e.kind === 'network' ? [e.srcIp, e.dstPort, e.durationMs, e.bytesOut, e.connectionId, e.mapping] : e.kind);
  assert.deepEqual([a, b, c].map((x) => x.format), ['json-zeek', 'json-zeek', 'json-zeek']);
  for (const x of [a, b, c]) assert.deepEqual(pick(normalizer.normalize(x)), ['10.0.0.5', 443, 1500, 10, 'C1', 'zeek-conn']);
  assert.equal(b.system.computer, 'nsm');
  assert.equal(normalizer.normalize(dns).kind, 'other', 'only conn.log becomes network events');
});

test('bad input: a row with the wrong field count SW1012, data before #fields SW1009, cut last row SW1008', async () => {
  const r = await run(readZeek, `x\ty\n${HDR}1\t2\n${ROW}${ROW.slice(0, 20)}`);
  assert.deepEqual(codes(r), ['SW1009@1', 'SW1012@9', 'SW1008@11']);
  assert.equal(records(r).length, 1);
  assert.ok(zeekSource.sniff(Buffer.from(HDR), 'conn.log') > 0.9);
  assert.equal(zeekSource.sniff(Buffer.from('{"ts":1}'), 'conn.log'), 0);
});

test('zat samples (TSV and JSON, benign) all become network events; apt29 Zeek zips: conn → network, rest other', { skip: !hasCorpus }, async () => {
  const zat = await readPaths([corpusPath('zat-zeek-samples', 'data')]);
  assert.deepEqual(countKinds(zat.events), { network: 413 });
  assert.ok(zat.events.every((e) => e.kind === 'network' && e.observer === 'network' && e.connectionId && e.srcIp && e.dstPort !== undefined));
  const apt = await readPaths([corpusPath('otrf-security-datasets', 'datasets', 'compound', 'apt29', 'day2', 'zeek')]);
  assert.deepEqual(apt.diags, []);
  const kinds = countKinds(apt.events);
  assert.equal(kinds.network, 1108);
  const c2 = apt.events.filter((e) => e.kind === 'network' && e.dstIp === '192.168.0.4');
  assert.ok(c2.filter((e) => e.kind === 'network' && e.dstPort === 443).length >= 300, 'the HTTPS beaconing to 192.168.0.4:443');
  assert.ok(c2.some((e) => e.kind === 'network' && e.dstPort === 8080));
});
