import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { corpusPath, hasCorpus, projectRoot } from '../helpers/corpus.js';
import { bearer, harness, type Harness } from './helpers.js';

let h: Harness;
before(async () => { h = await harness({ bodyBytes: 8 * 1024 * 1024 }); });
after(async () => h.close());

const post = (payload: Buffer | string, type = 'application/octet-stream', headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/v1/ingest', payload, headers: { ...bearer(h.tokens.ingest), 'content-type': type, ...headers } });

const samples = readdirSync(join(projectRoot, 'samples')).filter((f) => !f.endsWith('.md'));
const plain = (f: string): Buffer => {
  const b = readFileSync(join(projectRoot, 'samples', f));
  return f.endsWith('.gz') ? gunzipSync(b) : b;
};

describe('POST /api/v1/ingest', () => {
  for (const f of samples) {
    test(`sample ${f}: plain, gzip magic, Content-Encoding: gzip`, async () => {
      const body = plain(f);
      const lines = body.toString('utf8').split('\n').filter((l) => l.trim()).length;
      const a = await post(body, 'application/json');
      assert.equal(a.statusCode, 200, a.body);
      const r = JSON.parse(a.body);
      assert.ok(r.accepted > 0 && r.accepted <= lines + 1000, JSON.stringify(r));
      assert.equal(r.duplicates, 0);
      assert.equal(h.accepted.at(-1)?.stream, 'http');
      assert.equal(h.accepted.at(-1)?.sender, 't-ingest', 'the sender is the token name');
      const b = JSON.parse((await post(gzipSync(body), 'application/gzip')).body);
      assert.equal(b.accepted, r.accepted);
      assert.equal(b.duplicates, r.accepted, 'the same records again are stored once');
      const c = await post(gzipSync(body), 'application/json', { 'content-encoding': 'gzip' });
      assert.equal(JSON.parse(c.body).accepted, r.accepted);
    });
  }
  test('EVTX bytes and auditd text', { skip: !hasCorpus && 'corpus absent' }, async () => {
    const evtx = readFileSync(corpusPath('hayabusa-sample-evtx/EVTX-to-MITRE-Attack/TA0008-Lateral Movement/T1021.001-Remote Desktop Protocol/ID4688-4778 RDP hijack command execution.evtx'));
    const e = JSON.parse((await post(evtx)).body);
    assert.equal(e.reader, 'evtx');
    assert.ok(e.accepted > 0);
    const au = JSON.parse((await post(readFileSync(join(projectRoot, 'test/fixtures/auditd/webshell-chain.log')), 'text/plain')).body);
    assert.equal(au.reader, 'auditd');
    assert.ok(au.accepted > 0);
  });
  test('a malformed record costs only itself: good ones around it are accepted, the bad one listed', async () => {
    const lines = plain('linux-ecs.ndjson').toString('utf8').split('\n').filter(Boolean);
    const body = [lines[0].replace('web-lnx01', 'mixed01'), '{"@timestamp": "2026-03-04T11:00:00Z", "host": {', lines[1].replace('web-lnx01', 'mixed01')].join('\n') + '\n';
    const r = await post(body, 'application/x-ndjson');
    assert.equal(r.statusCode, 200, r.body);
    const j = JSON.parse(r.body);
    assert.equal(j.accepted, 2, r.body);
    assert.equal(j.diagnosticsTotal, 1);
    assert.equal(j.diagnostics[0].code, 'SW1003');
    assert.equal(j.diagnostics[0].location.line, 2);
  });
  test('diagnostics are capped at 100 and counted', async () => {
    const body = ['{"@timestamp":"2026-03-04T11:00:00Z","host":{"name":"cap"},"event":{"category":"process","type":"start"},"process":{"pid":1}}', ...Array.from({ length: 150 }, () => '{bad')].join('\n') + '\n';
    const j = JSON.parse((await post(body, 'application/x-ndjson')).body);
    assert.equal(j.accepted, 1);
    assert.equal(j.diagnostics.length, 100);
    assert.ok(j.diagnosticsTotal >= 150);
  });
  test('no record readable → 400 with the diagnostics', async () => {
    for (const body of ['{not json at all\n', '\u0000\u0001\u0002 binary junk']) {
      const r = await post(body, 'application/octet-stream');
      assert.equal(r.statusCode, 400, r.body);
      const e = JSON.parse(r.body).error;
      assert.equal(e.code, 'SW6002');
      assert.ok(Array.isArray(e.details.diagnostics));
    }
    const empty = await post('', 'application/json');
    assert.equal(empty.statusCode, 400);
  });
  test('queue full → 429 SW6001 with Retry-After, nothing accepted', async () => {
    h.state.busy = true;
    try {
      const r = await post(plain('linux-ecs.ndjson'), 'application/x-ndjson');
      assert.equal(r.statusCode, 429);
      assert.equal(JSON.parse(r.body).error.code, 'SW6001');
      assert.equal(r.headers['retry-after'], '7');
    } finally {
      h.state.busy = false;
    }
  });
});
