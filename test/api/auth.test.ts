import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken, newToken, createToken } from '../../src/api/tokens.js';
import { bearer, harness, makeAlert, ROLE_LIST, type Harness } from './helpers.js';
import { mayUse, ROUTES, type RouteCase } from './routes.js';

let h: Harness;
before(async () => {
  h = await harness();
  await h.publish(makeAlert(1));
  await h.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { ...bearer(h.tokens.ingest), 'content-type': 'application/x-ndjson' }, payload: '{"@timestamp":"2026-03-01T00:00:00Z","host":{"name":"h0"},"event":{"category":"process","type":"start"},"process":{"pid":2}}\n' });
});
after(async () => h.close());

function send(r: RouteCase, headers: Record<string, string> = {}) {
  const payload = r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const type = r.type ?? (r.body !== undefined ? 'application/json' : undefined);
  return h.app.inject({ method: r.method, url: r.url, payload, headers: { ...(type ? { 'content-type': type } : {}), ...headers } });
}

describe('roles matrix', () => {
  for (const r of ROUTES) {
    test(`${r.method} ${r.url} (${r.role})`, async () => {
      const anon = await send(r);
      if (r.role === 'public') assert.ok(anon.statusCode < 300, `public ${anon.statusCode} ${anon.body}`);
      else {
        assert.equal(anon.statusCode, 401, anon.body);
        assert.ok(anon.headers['www-authenticate']);
        if (r.method !== 'HEAD') assert.equal(JSON.parse(anon.body).error.code, 'SW6005');
      }
      for (const role of ROLE_LIST) {
        const res = await send(r, bearer(h.tokens[role]));
        if (mayUse(role, r.role)) assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${role}: ${res.statusCode} ${res.body}`);
        else {
          assert.equal(res.statusCode, 403, `${role}: ${res.body}`);
          if (r.method !== 'HEAD') assert.equal(JSON.parse(res.body).error.code, 'SW6006');
        }
      }
    });
  }
  test('an invalid or revoked token is a 401', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: bearer(newToken()) });
    assert.equal(r.statusCode, 401);
    const { token, record } = await createToken(h.store, { name: 'gone', role: 'admin', actor: 'test' });
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(token) })).statusCode, 200);
    await h.store.revokeToken(record.id, 1_700_000_100_000);
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(token) })).statusCode, 401);
  });
  test('?token= is accepted on the SSE route only', async () => {
    const r = await h.app.inject({ method: 'GET', url: `/api/v1/alerts?token=${h.tokens.viewer}` });
    assert.equal(r.statusCode, 401, 'the query token is ignored on other routes');
    const r2 = await h.app.inject({ method: 'GET', url: `/api/v1/alerts/stream?token=${h.tokens.ingest}` });
    assert.equal(r2.statusCode, 403, 'the query token is authenticated (ingest may not read alerts)');
  });
});

describe('Elasticsearch credentials', () => {
  const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
  test('Basic (password = token), ApiKey (id:key and key alone), Bearer', async () => {
    const t = h.tokens.ingest;
    for (const headers of [basic('anyone', t), { authorization: `ApiKey ${Buffer.from(`shellwatch:${t}`).toString('base64')}` }, { authorization: `ApiKey ${Buffer.from(t).toString('base64')}` }, { authorization: `ApiKey ${t}` }, bearer(t)]) {
      const r = await h.app.inject({ method: 'GET', url: '/_license', headers });
      assert.equal(r.statusCode, 200, JSON.stringify(headers));
      assert.equal(r.headers['x-elastic-product'], 'Elasticsearch');
    }
    const bad = await h.app.inject({ method: 'GET', url: '/_license', headers: basic('x', 'nope') });
    assert.equal(bad.statusCode, 401);
    const e = JSON.parse(bad.body);
    assert.equal(e.error.code, 'SW6005');
    assert.equal(e.error.type, 'security_exception', 'ES clients read type/reason');
    assert.equal(e.status, 401);
  });
});

describe('tokens', () => {
  test('format and hashing: the raw token is never stored', async () => {
    const t = newToken();
    assert.match(t, /^swt_[A-Za-z0-9_-]{43}$/);
    assert.equal(hashToken(t), hashToken(t));
    assert.match(hashToken(t), /^[0-9a-f]{64}$/);
    const { token, record } = await createToken(h.store, { name: 'ci', role: 'viewer', actor: 'admin-cli' });
    assert.equal(record.hash, hashToken(token));
    const all = JSON.stringify(await h.store.listTokens());
    for (const raw of [token, ...Object.values(h.tokens)]) assert.ok(!all.includes(raw), 'raw token found in the store');
    const audit = await h.store.listAudit(100);
    assert.ok(audit.items.some((a) => a.action === 'token.create' && a.actor === 'admin-cli' && a.target === record.id));
    assert.ok(!JSON.stringify(audit.items).includes(token));
  });
  test('createToken refuses unknown roles and odd names', async () => {
    await assert.rejects(createToken(h.store, { name: 'x', role: 'root' as never }));
    await assert.rejects(createToken(h.store, { name: 'bad name\n', role: 'viewer' }));
  });
  test('writes are audited with the token name as actor', async () => {
    const items = (await h.store.listAudit(200)).items;
    assert.ok(items.some((a) => a.action === 'rules.reload' && a.actor === 't-admin'));
    assert.ok(items.some((a) => a.action === 'hunt.store' && a.actor === 't-analyst'));
    assert.ok(items.some((a) => a.actor === 't-analyst' && a.target === 'a00001'), 'alert updates audited by the store');
  });
});
