import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { harness, makeAlert, type Harness } from './helpers.js';

let h: Harness;
let port: number;
before(async () => {
  h = await harness({ sseHeartbeatMs: 100, sseBufferBytes: 64 * 1024 });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
});
after(async () => h.close());

/** Opens the stream and collects its text until `until` says stop. */
function open(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; text: () => string; close: () => void; wait: (re: RegExp) => Promise<string> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let buf = '';
      const waiters: [RegExp, (s: string) => void][] = [];
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        for (const w of [...waiters]) if (w[0].test(buf)) { waiters.splice(waiters.indexOf(w), 1); w[1](buf); }
      });
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0, type: String(res.headers['content-type']), text: () => buf, close: () => req.destroy(),
        wait: (re) => new Promise((ok) => (re.test(buf) ? ok(buf) : waiters.push([re, ok]))),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /api/v1/alerts/stream (SSE)', () => {
  test('a new alert arrives as an event; heartbeats; ?token= works', async () => {
    const s = await open(`/api/v1/alerts/stream?token=${h.tokens.viewer}`);
    assert.equal(s.status, 200);
    assert.match(s.type, /^text\/event-stream/);
    await s.wait(/: connected/);
    await h.publish(makeAlert(7));
    const text = await s.wait(/event: alert\ndata: .*\n\n/);
    const frame = /id: (\S+)\nevent: alert\ndata: (.*)\n\n/.exec(text);
    assert.ok(frame);
    assert.equal(frame[1], 'a00007');
    assert.equal(JSON.parse(frame[2]).id, 'a00007');
    await s.wait(/: ping\n\n/);
    s.close();
  });
  test('Authorization header works; no credentials → 401 JSON', async () => {
    const s = await open('/api/v1/alerts/stream', { authorization: `Bearer ${h.tokens.analyst}` });
    assert.equal(s.status, 200);
    s.close();
    const n = await open('/api/v1/alerts/stream');
    assert.equal(n.status, 401);
    n.close();
  });
  test('unsubscribes on close; a slow client is dropped, not buffered', async () => {
    const s = await open(`/api/v1/alerts/stream?token=${h.tokens.viewer}`);
    await s.wait(/: connected/);
    assert.equal(h.subscribers(), 1);
    s.close();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(h.subscribers(), 0, 'unsubscribed on close');
    // a client that never reads: the server must drop it once its unsent bytes pass the bound
    const req = request({ host: '127.0.0.1', port, path: `/api/v1/alerts/stream?token=${h.tokens.viewer}` }, (res) => res.pause());
    req.on('error', () => undefined);
    req.end();
    while (h.subscribers() === 0) await new Promise((r) => setTimeout(r, 10));
    const big = { evidence: { blob: 'x'.repeat(1_000_000) } };
    for (let i = 0; i < 100 && h.subscribers() > 0; i++) {
      await h.publish(makeAlert(1000 + i, big));
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(h.subscribers(), 0, 'slow client disconnected and unsubscribed');
    req.destroy();
  });
});
