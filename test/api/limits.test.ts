import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { bearer, harness, makeAlert, type Harness } from './helpers.js';

const code = (body: string): string => JSON.parse(body).error.code;

describe('limits and malformed requests', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ bodyBytes: 1000 });
    await h.publish(makeAlert(1));
  });
  after(async () => h.close());
  const ingest = (payload: Buffer | string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: '/api/v1/ingest', payload, headers: { ...bearer(h.tokens.ingest), 'content-type': 'application/x-ndjson', ...headers } });

  test('oversize body → 413 SW6003 (raw and JSON routes)', async () => {
    const r = await ingest('x'.repeat(2000));
    assert.equal(r.statusCode, 413);
    assert.equal(code(r.body), 'SW6003');
    const p = await h.app.inject({ method: 'PATCH', url: '/api/v1/alerts/a00001', headers: { ...bearer(h.tokens.analyst), 'content-type': 'application/json' }, payload: JSON.stringify({ note: 'y'.repeat(2000) }) });
    assert.equal(p.statusCode, 413);
    assert.equal(code(p.body), 'SW6003');
  });
  test('a gzip body inflating past 8× the limit → 413', async () => {
    const r = await ingest(gzipSync(Buffer.alloc(100_000, 0x20)), { 'content-encoding': 'gzip' });
    assert.equal(r.statusCode, 413, r.body);
    assert.equal(code(r.body), 'SW6003');
  });
  test('wrong content type → 415 SW6004; unknown encodings too', async () => {
    for (const [url, method, token, type] of [['/api/v1/ingest', 'POST', 'ingest', 'image/png'], ['/api/v1/alerts/a00001', 'PATCH', 'analyst', 'text/plain']] as const) {
      const r = await h.app.inject({ method, url, headers: { ...bearer(h.tokens[token]), 'content-type': type }, payload: '{}' });
      assert.equal(r.statusCode, 415, `${url}: ${r.body}`);
      assert.equal(code(r.body), 'SW6004');
    }
    const br = await ingest('{}\n', { 'content-encoding': 'br' });
    assert.equal(br.statusCode, 415);
    const gz = await h.app.inject({ method: 'PATCH', url: '/api/v1/alerts/a00001', headers: { ...bearer(h.tokens.analyst), 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync('{"note":"x"}') });
    assert.equal(gz.statusCode, 415, 'JSON routes take no encoded bodies');
  });
  test('malformed JSON → 400 SW6002; schema violations → 400 SW6014', async () => {
    const headers = { ...bearer(h.tokens.analyst), 'content-type': 'application/json' };
    const bad = await h.app.inject({ method: 'PATCH', url: '/api/v1/alerts/a00001', headers, payload: '{"status":' });
    assert.equal(bad.statusCode, 400);
    assert.equal(code(bad.body), 'SW6002');
    for (const payload of ['{"status":"pwned"}', '{"status":"closed","extra":1}', '{}', '{"__proto__":{"x":1}}']) {
      const r = await h.app.inject({ method: 'PATCH', url: '/api/v1/alerts/a00001', headers, payload });
      assert.equal(r.statusCode, 400, payload);
      assert.match(code(r.body), /^SW600[2]|SW6014$/);
    }
    for (const q of ['limit=0', 'limit=5000', 'nope=1', 'from=yesterday', 'status=new,bogus', 'level=severe']) {
      const r = await h.app.inject({ method: 'GET', url: `/api/v1/alerts?${q}`, headers: bearer(h.tokens.viewer) });
      assert.equal(r.statusCode, 400, q);
      assert.equal(code(r.body), 'SW6014', q);
    }
  });
  test('unknown routes → 404 SW6007, missing resources too', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/nope' });
    assert.equal(r.statusCode, 404);
    assert.equal(code(r.body), 'SW6007');
    const a = await h.app.inject({ method: 'GET', url: '/api/v1/alerts/zzz', headers: bearer(h.tokens.viewer) });
    assert.equal(a.statusCode, 404);
    assert.equal(code(a.body), 'SW6007');
  });
  test('wrong method on ES bulk → 405 ES-style', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/_bulk', headers: bearer(h.tokens.ingest) });
    assert.equal(r.statusCode, 405);
    const b = JSON.parse(r.body);
    assert.equal(b.status, 405);
    assert.match(b.error.reason, /Incorrect HTTP method/);
    assert.equal(r.headers.allow, 'POST, PUT');
  });
  test('internal errors: SW9001 and no stack trace', async () => {
    const orig = h.ctx.rules;
    (h.ctx as unknown as { rules: () => never }).rules = () => { throw new Error('secret detail at /etc/x.ts:12'); };
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/rules', headers: bearer(h.tokens.viewer) });
    (h.ctx as unknown as { rules: typeof orig }).rules = orig;
    assert.equal(r.statusCode, 500);
    assert.equal(code(r.body), 'SW9001');
    assert.ok(!/secret|stack|\.ts/.test(r.body));
  });
  test('security headers on API responses', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: bearer(h.tokens.viewer) });
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['cache-control'], 'no-store');
  });
});

describe('rate limit', () => {
  test('per token → 429 SW6008 with Retry-After; another token is not affected', async () => {
    const h = await harness({ ratePerMinute: 3 });
    try {
      const get = (t: string) => h.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: bearer(t) });
      for (let i = 0; i < 3; i++) assert.equal((await get(h.tokens.viewer)).statusCode, 200);
      const r = await get(h.tokens.viewer);
      assert.equal(r.statusCode, 429);
      assert.equal(code(r.body), 'SW6008');
      assert.ok(Number(r.headers['retry-after']) >= 1);
      assert.equal((await get(h.tokens.analyst)).statusCode, 200);
      // unauthenticated traffic (token guessing) is limited per address
      for (let i = 0; i < 3; i++) await h.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: bearer('swt_guess' + i) });
      const g = await h.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: bearer('swt_guess') });
      assert.equal(g.statusCode, 429);
    } finally {
      await h.close();
    }
  });
});
