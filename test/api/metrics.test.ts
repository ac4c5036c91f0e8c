import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeLabel, renderMetrics } from '../../src/api/prometheus.js';
import { bearer, harness, metrics, type Harness } from './helpers.js';
import { ROUTES } from './routes.js';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => h.close());

// text format 0.0.4: comments (# HELP / # TYPE), or `name{labels} value`
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/;
const COMMENT = /^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$/;

describe('GET /metrics', () => {
  test('Prometheus text 0.0.4: every line parses; families present; labels escaped', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/metrics', headers: bearer(h.tokens.viewer) });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const lines = r.body.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    for (const l of lines) assert.ok(SAMPLE.test(l) || COMMENT.test(l), `bad line: ${JSON.stringify(l)}`);
    for (const f of ['shellwatch_events_in_total', 'shellwatch_events_duplicate_total', 'shellwatch_dropped_total', 'shellwatch_diagnostics_total', 'shellwatch_alerts_stored_total', 'shellwatch_queue_depth', 'shellwatch_queue_limit', 'shellwatch_hosts', 'shellwatch_state_evictions_total', 'shellwatch_ingest_to_alert_seconds', 'process_resident_memory_bytes']) {
      assert.ok(lines.includes(`# TYPE ${f} ${f === 'shellwatch_ingest_to_alert_seconds' ? 'histogram' : /total$/.test(f) ? 'counter' : 'gauge'}`), f);
    }
    assert.ok(lines.includes('shellwatch_dropped_total{stream="syslog-udp",reason="queue full"} 3'));
    assert.ok(lines.includes('shellwatch_dropped_total{stream="bulk:we\\"ird\\\\idx\\nx",reason="parse"} 1'));
    assert.ok(lines.includes('shellwatch_ingest_to_alert_seconds_bucket{le="0.01"} 2'));
    assert.ok(lines.includes('shellwatch_ingest_to_alert_seconds_bucket{le="+Inf"} 3'));
    assert.ok(lines.includes('shellwatch_ingest_to_alert_seconds_count 3'));
    assert.ok(lines.includes('shellwatch_diagnostics_total{code="SW1003"} 2'));
  });
  test('label escaping and histogram order', () => {
    assert.equal(escapeLabel('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
    const m = { ...metrics(), latency: { buckets: [[0.1, 5], [0.01, 1]] as [number, number][], sum: 1, count: 6 } };
    const text = renderMetrics(m, 1);
    assert.ok(text.indexOf('le="0.01"') < text.indexOf('le="0.1"'));
  });
});

describe('OpenAPI', () => {
  test('GET /api/v1/openapi.json (no auth) lists every route with its method', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(r.statusCode, 200);
    const doc = JSON.parse(r.body);
    assert.match(doc.openapi, /^3\./);
    for (const rt of ROUTES.filter((x) => x.method !== 'HEAD')) {
      const path = rt.path ?? rt.url.split('?')[0];
      assert.ok(doc.paths[path], `missing path ${path}`);
      assert.ok(doc.paths[path][rt.method.toLowerCase()], `missing ${rt.method} ${path}`);
    }
    assert.ok(doc.paths['/api/v1/alerts/stream'].get);
    assert.ok(doc.components.securitySchemes.bearer);
  });
});
