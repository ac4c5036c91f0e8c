// Child process of bench/serve-latency.ts: the load generator. argv[2] is a JSON object
// {url, token, pool, rate, seconds, idBase, inflight}: every 10 ms it makes one batch of rate/100
// events from the pool (NDJSON templates written by the bench, cycled in order), stamps each event's
// system.timeMs with the time the batch is sent and system.recordId with a counter from idBase, and
// POSTs it to url (keep-alive, at most `inflight` requests in flight; batches wait in order while that
// many are out; those still waiting when the time is up are counted as unsent). A 429 is retried after its Retry-After; a failed request after 100 ms (5 tries).
// Prints one JSON summary line: events sent / acknowledged, 429s, request latency (send → response
// of the successful attempt), how far behind its schedule it fell, its own CPU time.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

interface Args { url: string; token?: string; pool: string; rate: number; seconds: number; idBase: number; inflight?: number }
const a = JSON.parse(process.argv[2] ?? '{}') as Args;
// the placeholders bench/serve-latency.ts writes into each template line (keep the two in step):
// system.timeMs, system.recordId, and Sysmon's data.UtcTime (which its mapping takes as the event time)
const HOLES = /(8888888888888|7777777777777|6666-06-06 06:06:06\.666)/;
const T = '8888888888888', ID = '7777777777777';

/** a template: literal text at even indexes, placeholders at odd ones */
const templates = readFileSync(a.pool, 'utf8').split('\n').filter(Boolean).map((l) => (l + '\n').split(HOLES));
const target = new URL(a.url);
const inflight = a.inflight ?? 4;
const agent = new Agent({ keepAlive: true, maxSockets: inflight });
const perBatch = Math.max(1, Math.round(a.rate / 100));
const batches = Math.round(a.seconds * 100);

let next = 0;
let id = a.idBase;
const stats = { sent: 0, unsent: 0, acked: 0, duplicates: 0, requests: 0, status429: 0, failed: 0, errors: 0, otherStatus: 0, maxPending: 0, maxLateMs: 0 };
const latencies: number[] = [];
const pending: number[] = []; // scheduled batch times (ms since start) not yet sent
let out = 0;
let made = 0;

function body(now: number): Buffer {
  const ms = String(now);
  const utc = new Date(now).toISOString().replace('T', ' ').slice(0, 23);
  let s = '';
  for (let i = 0; i < perBatch; i++) {
    const t = templates[next];
    next = (next + 1) % templates.length;
    s += t[0];
    for (let j = 1; j < t.length; j += 2) s += (t[j] === T ? ms : t[j] === ID ? String(id++) : utc) + t[j + 1];
  }
  return Buffer.from(s);
}

function post(buf: Buffer, tries: number, done: () => void): void {
  const t0 = performance.now();
  stats.requests++;
  const req = request({
    host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
    headers: { 'content-type': 'application/x-ndjson', 'content-length': buf.length, ...(a.token ? { authorization: `Bearer ${a.token}` } : {}) },
  }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => { text += c; });
    res.on('end', () => {
      if (res.statusCode === 200) {
        latencies.push(performance.now() - t0);
        const r = JSON.parse(text) as { accepted: number; duplicates?: number };
        stats.acked += r.accepted;
        stats.duplicates += r.duplicates ?? 0;
        return done();
      }
      if (res.statusCode === 429) {
        stats.status429++;
        const wait = Math.max(1, Number(res.headers['retry-after'] ?? 1)) * 1000;
        return void setTimeout(() => post(buf, tries, done), wait);
      }
      stats.otherStatus++;
      if (tries >= 5) { stats.failed += perBatch; return done(); }
      setTimeout(() => post(buf, tries + 1, done), 100);
    });
  });
  req.on('error', () => {
    stats.errors++;
    if (tries >= 5) { stats.failed += perBatch; return done(); }
    setTimeout(() => post(buf, tries + 1, done), 100);
  });
  req.end(buf);
}

const start = performance.now();
const cpu0 = process.cpuUsage();
let finished: () => void;
const allDone = new Promise<void>((r) => { finished = r; });

let timer: NodeJS.Timeout | undefined;
let lastSend = 0;
function pump(): void {
  const now = performance.now() - start;
  while (made < batches && made * 10 <= now) pending.push(made++ * 10);
  // the run lasts `seconds`: batches not sent by then are counted, not sent late
  if (now >= a.seconds * 1000 && pending.length) { stats.unsent += pending.length * perBatch; pending.length = 0; }
  stats.maxPending = Math.max(stats.maxPending, pending.length);
  while (pending.length && out < inflight) {
    const due = pending.shift()!;
    stats.maxLateMs = Math.max(stats.maxLateMs, now - due);
    const buf = body(Date.now());
    lastSend = now;
    stats.sent += perBatch;
    out++;
    post(buf, 0, () => { out--; pump(); });
  }
  if (made >= batches && !pending.length && !out) finished();
  if (made < batches && !timer) timer = setTimeout(() => { timer = undefined; pump(); }, Math.max(0, (made * 10) - (performance.now() - start)));
}
pump();
await allDone;
const wall = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
agent.destroy();
latencies.sort((x, y) => x - y);
const q = (p: number) => (latencies.length ? +latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2) : null);
console.log(JSON.stringify({
  ...stats, rate: a.rate, seconds: a.seconds, wallS: +wall.toFixed(2), lastSendS: +(lastSend / 1000).toFixed(2), achievedRate: Math.round(stats.sent / Math.max(a.seconds, (lastSend + 10) / 1000)),
  ackMs: { p50: q(0.5), p99: q(0.99), p999: q(0.999), max: q(1) }, cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2),
}));
