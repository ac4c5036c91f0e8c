import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, harness, makeAlert, type Harness } from './helpers.js';

let h: Harness;
before(async () => {
  h = await harness();
  for (let i = 1; i <= 57; i++) await h.publish(makeAlert(i));
});
after(async () => h.close());

const get = async (url: string, token = h.tokens.viewer) => {
  const r = await h.app.inject({ method: 'GET', url, headers: bearer(token) });
  assert.equal(r.statusCode, 200, r.body);
  return JSON.parse(r.body);
};

describe('GET /api/v1/alerts', () => {
  test('pages through every alert once, newest first, with no loss or duplicate', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; time: string }[]; next: string | null } = await get(`/api/v1/alerts?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(page.items.length <= 10);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.next;
    } while (cursor);
    assert.equal(seen.length, 57);
    assert.equal(new Set(seen).size, 57);
    assert.equal(seen[0], 'a00057', 'newest first');
  });
  test('a forged or damaged cursor is a 400 with SW6014, not a server error', async () => {
    for (const c of ['garbage', 'eyJ0IjoieCJ9', "'; DROP TABLE alerts; --", 'A'.repeat(5000)]) {
      const r = await h.app.inject({ method: 'GET', url: `/api/v1/alerts?cursor=${encodeURIComponent(c)}`, headers: bearer(h.tokens.viewer) });
      assert.ok(r.statusCode === 400, `${c.slice(0, 20)}: ${r.statusCode} ${r.body}`);
      assert.equal(JSON.parse(r.body).error.code, 'SW6014');
    }
    const ev = await h.app.inject({ method: 'GET', url: '/api/v1/events?cursor=garbage', headers: bearer(h.tokens.viewer) });
    assert.equal(ev.statusCode, 400, ev.body);
  });
  test('items: the alert format with id and the triage state', async () => {
    const a = (await get('/api/v1/alerts?limit=1')).items[0];
    for (const k of ['id', 'rule', 'time', 'host', 'user', 'process', 'parent', 'ancestors', 'session', 'baseline', 'reason', 'decoded', 'event', 'evidence', 'status', 'assignee', 'notes', 'groupKey', 'createdMs', 'updatedMs']) assert.ok(k in a, k);
    assert.equal(a.status, 'new');
    assert.deepEqual(a.evidence, { k: 57 });
  });
  test('filters: host, rule, level, status, q, time', async () => {
    const web = await get('/api/v1/alerts?host=WEB01&limit=1000');
    assert.ok(web.items.length > 0 && web.items.every((a: { host: string }) => a.host === 'WEB01'));
    const high = await get('/api/v1/alerts?level=high&limit=1000');
    assert.ok(high.items.every((a: { rule: { level: string } }) => a.rule.level === 'high'));
    const q = await get('/api/v1/alerts?q=ECHO%2042&limit=1000');
    assert.deepEqual(q.items.map((a: { id: string }) => a.id), ['a00042']);
    const t = await get(`/api/v1/alerts?from=${encodeURIComponent('2026-03-01T00:00:10Z')}&to=${Date.UTC(2026, 2, 1, 0, 0, 20)}&limit=1000`);
    assert.equal(t.items.length, 10);
  });
});

describe('triage', () => {
  test('PATCH sets status/assignee/note with the token as actor; GET shows it', async () => {
    const r = await h.app.inject({ method: 'PATCH', url: '/api/v1/alerts/a00003', headers: { ...bearer(h.tokens.analyst), 'content-type': 'application/json' }, payload: { status: 'in_progress', assignee: 'bob', note: 'looking' } });
    assert.equal(r.statusCode, 200, r.body);
    const a = JSON.parse(r.body);
    assert.equal(a.status, 'in_progress');
    assert.equal(a.assignee, 'bob');
    assert.equal(a.notes[0].actor, 't-analyst');
    assert.equal((await get('/api/v1/alerts/a00003')).status, 'in_progress');
    const st = await get('/api/v1/alerts?status=in_progress,closed');
    assert.deepEqual(st.items.map((x: { id: string }) => x.id), ['a00003']);
    const missing = await h.app.inject({ method: 'PATCH', url: '/api/v1/alerts/nope', headers: { ...bearer(h.tokens.analyst), 'content-type': 'application/json' }, payload: { status: 'closed' } });
    assert.equal(missing.statusCode, 404);
  });
  test('bulk update of many ids, audited', async () => {
    const ids = ['a00010', 'a00011', 'a00012', 'unknown'];
    const r = await h.app.inject({ method: 'POST', url: '/api/v1/alerts/bulk', headers: { ...bearer(h.tokens.responder), 'content-type': 'application/json' }, payload: { ids, status: 'false_positive' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(JSON.parse(r.body).updated, 3);
    const audit = (await h.store.listAudit(100)).items.filter((e) => e.actor === 't-responder');
    assert.equal(audit.length, 3);
    const tooMany = await h.app.inject({ method: 'POST', url: '/api/v1/alerts/bulk', headers: { ...bearer(h.tokens.analyst), 'content-type': 'application/json' }, payload: { ids: Array.from({ length: 1001 }, (_, i) => `x${i}`), status: 'closed' } });
    assert.equal(tooMany.statusCode, 400);
  });
  test('tree: 200 for a known alert, 404 otherwise', async () => {
    assert.equal((await get('/api/v1/alerts/a00001/tree')).host, 'WEB01');
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/alerts/zz/tree', headers: bearer(h.tokens.viewer) });
    assert.equal(r.statusCode, 404);
  });
});
