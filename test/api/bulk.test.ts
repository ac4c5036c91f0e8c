import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Normalizer } from '../../src/normalize/index.js';
import { projectRoot } from '../helpers/corpus.js';
import { bearer, harness, type Harness } from './helpers.js';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => h.close());

const fixture = (f: string): string => readFileSync(join(projectRoot, 'test/fixtures/bulk', f), 'utf8');
const doc = (host: string, pid: number) => JSON.stringify({ '@timestamp': '2026-03-04T11:00:00Z', host: { name: host }, event: { category: 'process', type: 'start' }, process: { pid, executable: '/bin/sh', command_line: `sh -c id #${pid}` } });
const bulk = (payload: string | Buffer, headers: Record<string, string> = {}, url = '/_bulk') =>
  h.app.inject({ method: 'POST', url, payload, headers: { ...bearer(h.tokens.ingest), 'content-type': 'application/x-ndjson', ...headers } });

describe('Elasticsearch handshake', () => {
  test('GET / is the ES 8 version document with X-Elastic-Product, with or without credentials', async () => {
    for (const headers of [{}, bearer(h.tokens.ingest), bearer('swt_wrong')]) {
      const r = await h.app.inject({ method: 'GET', url: '/', headers });
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['x-elastic-product'], 'Elasticsearch');
      const v = JSON.parse(r.body);
      assert.equal(v.version.number, '8.11.0');
      assert.equal(v.version.build_flavor, 'default');
      assert.equal(v.tagline, 'You Know, for Search');
      for (const k of ['name', 'cluster_name', 'cluster_uuid']) assert.equal(typeof v[k], 'string');
      for (const k of ['lucene_version', 'minimum_wire_compatibility_version', 'minimum_index_compatibility_version']) assert.equal(typeof v.version[k], 'string');
    }
    assert.equal((await h.app.inject({ method: 'HEAD', url: '/' })).statusCode, 200);
  });
  test('start-up probes answer plausibly; PUTs are acknowledged', async () => {
    const get = async (url: string) => JSON.parse((await h.app.inject({ method: 'GET', url, headers: bearer(h.tokens.ingest) })).body);
    assert.equal((await get('/_license?human=false')).license.status, 'active');
    assert.equal((await get('/_xpack')).features.ilm.available, true);
    assert.equal((await get('/_cluster/health')).status, 'green');
    assert.ok((await get('/_nodes/_local/ingest?filter_path=nodes.*.ingest')).nodes);
    assert.ok((await get('/_index_template/winlogbeat-8.11.0')).index_templates[0]);
    const put = await h.app.inject({ method: 'PUT', url: '/_ilm/policy/winlogbeat', headers: { ...bearer(h.tokens.ingest), 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync('{"policy":{}}') });
    assert.deepEqual(JSON.parse(put.body), { acknowledged: true });
    const cat = await h.app.inject({ method: 'GET', url: '/_cat/health', headers: bearer(h.tokens.ingest) });
    assert.match(cat.body, / green /);
  });
});

describe('POST /_bulk', () => {
  test('per-item format, _id echoed, one accept with stream bulk:INDEX and the token as sender', async () => {
    const body = [`{"index":{"_index":"logs-a","_id":"my-id-1"}}`, doc('b1', 1), `{"create":{"_index":"logs-a"}}`, doc('b1', 2), `{"delete":{"_index":"logs-a","_id":"x"}}`, ''].join('\n');
    const before = h.accepted.length;
    const r = await bulk(body);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['x-elastic-product'], 'Elasticsearch');
    const j = JSON.parse(r.body);
    assert.equal(j.errors, false);
    assert.equal(typeof j.took, 'number');
    assert.equal(j.items.length, 3);
    assert.deepEqual(Object.keys(j.items[0]), ['index']);
    assert.equal(j.items[0].index._id, 'my-id-1');
    assert.equal(j.items[0].index.status, 201);
    assert.equal(j.items[0].index.result, 'created');
    assert.equal(j.items[0].index._index, 'logs-a');
    for (const k of ['_shards', '_seq_no', '_primary_term']) assert.ok(k in j.items[0].index, k);
    assert.equal(j.items[1].create.status, 201);
    assert.ok(j.items[1].create._id.length >= 16, 'a generated id');
    assert.equal(j.items[2].delete.result, 'not_found');
    assert.equal(h.accepted.length, before + 1, 'one accept call');
    assert.equal(h.accepted.at(-1)?.stream, 'bulk:logs-a');
    assert.equal(h.accepted.at(-1)?.records.length, 2);
    assert.equal(h.accepted.at(-1)?.sender, 't-ingest');
  });
  test('gzip body (Content-Encoding: gzip, as Beats send) and /{index}/_bulk', async () => {
    const body = gzipSync(`{"create":{}}\n${doc('gz', 3)}\n{"create":{}}\n${doc('gz', 4)}\n`);
    const r = await bulk(body, { 'content-encoding': 'gzip', 'content-type': 'application/json' }, '/filebeat-8.11.0/_bulk');
    const j = JSON.parse(r.body);
    assert.equal(j.errors, false, r.body);
    assert.equal(j.items.length, 2);
    assert.equal(j.items[0].create._index, 'filebeat-8.11.0');
    assert.equal(h.accepted.at(-1)?.stream, 'bulk:filebeat-8.11.0');
  });
  test('a malformed document fails only its item (400 mapper_parsing_exception)', async () => {
    const body = [`{"index":{"_index":"logs-b","_id":"ok1"}}`, doc('m', 5), `{"index":{"_index":"logs-b","_id":"bad"}}`, '{"host": {"name": ', `{"index":{"_index":"logs-b","_id":"ok2"}}`, doc('m', 6), `{"index":{"_index":"logs-b","_id":"arr"}}`, '[1,2]', `{"index":{"_index":"Bad/Index","_id":"idx"}}`, doc('m', 7), ''].join('\n');
    const j = JSON.parse((await bulk(body)).body);
    assert.equal(j.errors, true);
    assert.deepEqual(j.items.map((i: { index: { status: number } }) => i.index.status), [201, 400, 201, 400, 400]);
    assert.equal(j.items[1].index.error.type, 'mapper_parsing_exception');
    assert.equal(j.items[1].index._id, 'bad');
    assert.equal(j.items[4].index.error.type, 'invalid_index_name_exception');
    assert.equal(h.accepted.at(-1)?.records.length, 2);
  });
  test('queue full → HTTP 200, every item 429 es_rejected_execution_exception', async () => {
    h.state.busy = true;
    try {
      const r = await bulk(`{"create":{"_index":"logs-c"}}\n${doc('busy', 8)}\n{"create":{"_index":"logs-c"}}\n${doc('busy', 9)}\n`);
      assert.equal(r.statusCode, 200);
      const j = JSON.parse(r.body);
      assert.equal(j.errors, true);
      for (const it of j.items) {
        assert.equal(it.create.status, 429);
        assert.equal(it.create.error.type, 'es_rejected_execution_exception');
      }
    } finally {
      h.state.busy = false;
    }
  });
  test('a malformed action line refuses the request (ES does too)', async () => {
    const r = await bulk(`{"index":\n${doc('x', 1)}\n`);
    assert.equal(r.statusCode, 400);
    const e = JSON.parse(r.body);
    assert.equal(e.error.code, 'SW6002');
    assert.equal(e.status, 400);
  });
});

describe('recorded Beats 8 bulk bodies', () => {
  const n = new Normalizer();
  test('Winlogbeat 8 Sysmon 1 → process_start events', async () => {
    const r = JSON.parse((await bulk(fixture('winlogbeat-8.ndjson'), { 'content-type': 'application/json' })).body);
    assert.equal(r.errors, false, JSON.stringify(r.items));
    assert.equal(r.items.length, 2);
    assert.equal(h.accepted.at(-1)?.stream, 'bulk:winlogbeat-8.11.0');
    const events = (h.accepted.at(-1)?.records ?? []).map((rec) => ({ rec, ev: n.normalize(rec) as unknown as { kind: string; process: { image: string; commandLine: string }; parent: { image: string } } }));
    assert.equal(events.length, 2);
    for (const { rec, ev } of events) {
      assert.equal(rec.format, 'json-ecs');
      assert.equal(rec.system.channel, 'Microsoft-Windows-Sysmon/Operational');
      assert.equal(rec.system.eventId, 1);
      assert.equal(ev.kind, 'process_start');
    }
    assert.match(events[0].ev.parent.image, /WINWORD\.EXE$/);
    assert.match(events[1].ev.process.commandLine, /-EncodedCommand/);
  });
  test('Filebeat 8 auditd: every item accepted; the lines of one audit event become one auditd record', async () => {
    const r = JSON.parse((await bulk(fixture('filebeat-8-auditd.ndjson'), { 'content-type': 'application/json' })).body);
    assert.equal(r.errors, false);
    assert.equal(r.items.length, 5);
    assert.ok(r.items.every((i: Record<string, { status: number }>) => Object.values(i)[0].status === 201));
    const recs = h.accepted.at(-1)?.records ?? [];
    assert.ok(recs.length >= 1 && recs.length < 5, `${recs.length} records`);
    assert.ok(recs.every((x) => x.format === 'auditd'));
  });
  test('Filebeat 8 auditd → process_start', async () => {
    await bulk(fixture('filebeat-8-auditd.ndjson'), { 'content-type': 'application/json' });
    const evs = (h.accepted.at(-1)?.records ?? []).map((rec) => n.normalize(rec));
    const start = evs.find((e) => e.kind === 'process_start');
    assert.ok(start, evs.map((e) => e.kind).join(','));
    assert.equal(start.host, 'web-lnx01', 'the host Filebeat named');
  });
});
