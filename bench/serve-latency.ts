// `serve` under load, against a parse-only echo server measured in the same run (never a timed test).
//
// Workload: Sysmon 1 and Security 4688 records from evtx-attack-samples and hayabusa-sample-evtx and
// auditd execve events from laurel-testdata and go-libaudit-testdata, resampled in a seeded order
// (40% / 40% / 20%) into a pool of BENCH_SERVE_POOL (20 000) template lines. The sender (a separate
// process, bench/serve-sender.ts) stamps each event's system.timeMs with its send time and
// system.recordId with a counter (and Sysmon's data.UtcTime, its event time, with the send time too),
// so every event has its own content key and its alerts carry the send time: latency = arrival on the SSE stream − Date.parse(alert.time).
//
// Phases: (1) the echo server (bench/serve-echo.ts: node:http + readBuffer) takes the sender at
// BENCH_SERVE_RATE (10 000 events/s) for BENCH_SERVE_ECHO_SECONDS (default: the same as the main run);
// (2) a fresh `serve` (SQLite store, SigmaHQ windows + linux process_creation rules plus the built-ins)
// takes it for BENCH_SERVE_SECONDS (60 s) while this process reads the alert stream, scrapes /metrics
// each second and samples the server's VmRSS every 2 s; (3) steps of 10 s at BENCH_SERVE_RAMP rates
// against the same server until one is not sustained (429s, a growing queue, or a sender that cannot
// keep up); (4) the server is stopped and its SQLite file counted: lost = acknowledged − stored.
// The rate limit (limits.ratePerMinute, default 6000/min per token = exactly the sender's 100
// requests/s) is lifted for the run with SHELLWATCH_LIMITS_RATE_PER_MINUTE.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RawRecord } from '../src/core/index.js';
import { recordBatches, recordLine } from '../src/pipeline/replay.js';
import { corpusPath, projectRoot } from '../test/helpers/corpus.js';
import { freePort, sleep, until, type ServeProcess } from '../test/helpers/serve.js';

const SENT_TIME = 8888888888888; // placeholders bench/serve-sender.ts fills in (keep the two in step)
const SENT_ID = 7777777777777;
const SENT_UTC = '6666-06-06 06:06:06.666';
const RULE_DIRS = [corpusPath('sigma', 'rules', 'windows', 'process_creation'), corpusPath('sigma', 'rules', 'linux', 'process_creation')];
const TICK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

interface SenderResult {
  sent: number; unsent: number; acked: number; duplicates: number; requests: number; status429: number; failed: number; errors: number; otherStatus: number;
  maxPending: number; maxLateMs: number; rate: number; seconds: number; wallS: number; lastSendS: number; achievedRate: number;
  ackMs: { p50: number | null; p99: number | null; p999: number | null; max: number | null }; cpuS: number;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** mulberry32: a small seeded PRNG, so the pool is the same on every run */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The corpus records of each kind, and the resampled pool as template lines. */
async function buildPool(size: number): Promise<{ lines: string[]; kinds: Record<string, number>; picked: Record<string, number> }> {
  const sysmon: RawRecord[] = [];
  const sec: RawRecord[] = [];
  const audit: RawRecord[] = [];
  const evtx = ['evtx-attack-samples', 'hayabusa-sample-evtx'].flatMap((d) => walk(corpusPath(d)).filter((f) => f.endsWith('.evtx')));
  for await (const b of recordBatches(evtx)) {
    for (const r of b.records) {
      if (r.system.eventId === 1 && r.system.channel === 'Microsoft-Windows-Sysmon/Operational') sysmon.push(r);
      else if (r.system.eventId === 4688 && r.system.channel === 'Security') sec.push(r);
    }
  }
  const auditFiles = ['laurel-testdata', 'go-libaudit-testdata'].flatMap((d) => walk(corpusPath(d)));
  for await (const b of recordBatches(auditFiles)) {
    for (const r of b.records) {
      const type = r.data.type;
      if (r.format === 'auditd' && (r.data.syscall === 'execve' || (Array.isArray(type) && type.includes('EXECVE')))) audit.push(r);
    }
  }
  const kinds = { sysmon1: sysmon.length, security4688: sec.length, auditdExecve: audit.length };
  const groups: [string, RawRecord[], number][] = [['sysmon1', sysmon, 0.4], ['security4688', sec, 0.4], ['auditdExecve', audit, 0.2]];
  const rnd = prng(0x5e11);
  const lines: string[] = [];
  const picked: Record<string, number> = {};
  while (lines.length < size) {
    const x = rnd();
    const [name, recs] = x < 0.4 ? groups[0] : x < 0.8 ? groups[1] : groups[2];
    const r = recs[Math.floor(rnd() * recs.length)];
    if (!r) continue;
    // Sysmon's mapping takes the event time from UtcTime, not the System element
    const data = typeof r.data.UtcTime === 'string' ? { ...r.data, UtcTime: SENT_UTC } : r.data;
    const line = recordLine({ ...r, data, system: { ...r.system, timeMs: SENT_TIME, recordId: SENT_ID } });
    if (line.split(String(SENT_TIME)).length !== 2 || line.split(String(SENT_ID)).length !== 2 || line.split(SENT_UTC).length > 2) continue;
    lines.push(line);
    picked[name] = (picked[name] ?? 0) + 1;
  }
  return { lines, kinds, picked };
}

/** CPU seconds (user + system) and resident MB of a process, from /proc. */
function procStat(pid: number): { cpuS: number; rssMB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS: (Number(f[11]) + Number(f[12])) / TICK, rssMB: rss ? Math.round(Number(rss[1]) / 102.4) / 10 : NaN };
}

/** Samples a process's VmRSS every 2 s (t: seconds since start). */
function rssSampler(pid: number): { samples: { t: number; mb: number }[]; stop(): void } {
  const t0 = Date.now();
  const samples: { t: number; mb: number }[] = [];
  const take = () => { try { samples.push({ t: (Date.now() - t0) / 1000, mb: procStat(pid).rssMB }); } catch { /* exited */ } };
  take();
  const timer = setInterval(take, 2000);
  return { samples, stop: () => clearInterval(timer) };
}

function rssSummary(s: { t: number; mb: number }[], at = 10): { at10: number; end: number; max: number; min: number; samples: number } {
  const near = s.reduce((b, x) => (Math.abs(x.t - at) < Math.abs(b.t - at) ? x : b), s[0]);
  return { at10: near.mb, end: s[s.length - 1].mb, max: Math.max(...s.map((x) => x.mb)), min: Math.min(...s.map((x) => x.mb)), samples: s.length };
}

function runSender(args: Record<string, unknown>): Promise<SenderResult> {
  const p = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'serve-sender.ts'), JSON.stringify(args)], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (b: Buffer) => { out += b; });
  p.stderr.on('data', (b: Buffer) => { err += b; });
  return new Promise((resolve, reject) => p.once('exit', (code) => {
    const last = out.trim().split('\n').pop();
    if (code !== 0 || !last) reject(new Error(`sender exited ${code}: ${err}`));
    else resolve(JSON.parse(last) as SenderResult);
  }));
}

const quantiles = (v: number[]) => {
  const s = Float64Array.from(v).sort();
  const q = (p: number) => (s.length ? +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1) : null);
  return { n: s.length, p50: q(0.5), p99: q(0.99), p999: q(0.999), max: q(1) };
};

/** Reads the SSE alert stream: per-alert latency (arrival − alert.time) under the current phase label. */
class AlertMonitor {
  phase = 'main';
  readonly latency = new Map<string, number[]>();
  readonly bySource = new Map<string, number[]>();
  disconnects = 0;
  /** alerts whose time is not a send time (more than a minute off) */
  readonly odd: unknown[] = [];
  private res: IncomingMessage | undefined;
  private stopped = false;

  constructor(private readonly s: Serve) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = get(`${this.s.url}/api/v1/alerts/stream`, { headers: { authorization: `Bearer ${this.s.token}`, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`alert stream: ${res.statusCode}`));
        this.res = res;
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk: string) => {
          const now = Date.now();
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (!frame.includes('event: alert')) continue;
            const data = frame.slice(frame.indexOf('data: ') + 6);
            const a = JSON.parse(data) as { time: string; rule: { source?: string; id?: string; title?: string } };
            const lat = now - Date.parse(a.time);
            if ((lat > 60_000 || lat < 0) && this.odd.length < 5) this.odd.push({ time: a.time, rule: a.rule.title ?? a.rule.id, data: data.slice(0, 3000) });
            this.push(this.latency, this.phase, lat);
            if (this.phase === 'main') this.push(this.bySource, a.rule.source ?? '?', lat);
          }
        });
        res.on('close', () => {
          if (this.stopped) return;
          this.disconnects++;
          void sleep(100).then(() => this.open().catch(() => undefined));
        });
        resolve();
      });
      req.on('error', reject);
    });
  }

  private push(m: Map<string, number[]>, k: string, v: number): void {
    let a = m.get(k);
    if (!a) m.set(k, (a = []));
    a.push(v);
  }

  close(): void {
    this.stopped = true;
    this.res?.destroy();
  }
}

interface Metrics { eventsIn: number; alerts: number; depth: number; dup: number; hist: [number, number][] }
async function scrape(s: Serve): Promise<Metrics> {
  const r = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.token}` } });
  const text = await r.text();
  const v = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const hist = [...text.matchAll(/^shellwatch_ingest_to_alert_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)].map((m) => [m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])] as [number, number]);
  return { eventsIn: v('shellwatch_events_in_total'), alerts: v('shellwatch_alerts_stored_total'), depth: v('shellwatch_queue_depth'), dup: v('shellwatch_events_duplicate_total'), hist };
}

/** Samples the queue depth while `during` runs. */
async function withDepth<T>(s: Serve, every: number, during: Promise<T>): Promise<{ result: T; depth: { t: number; d: number }[] }> {
  const t0 = Date.now();
  const depth: { t: number; d: number }[] = [];
  let done = false;
  const loop = (async () => {
    while (!done) {
      try { depth.push({ t: (Date.now() - t0) / 1000, d: (await scrape(s)).depth }); } catch { /* busy */ }
      await sleep(every);
    }
  })();
  const result = await during;
  done = true;
  await loop;
  return { result, depth };
}

/** Waits until detection has caught up (queue empty) and the stored alert count has stopped moving. */
async function drain(s: Serve): Promise<{ drainS: number; metrics: Metrics }> {
  const t0 = Date.now();
  let last = -1;
  const metrics = await until('the queue to drain', async () => {
    const m = await scrape(s);
    const stable = m.depth === 0 && m.alerts === last;
    last = m.alerts;
    return stable ? m : undefined;
  }, 300_000, 250);
  await sleep(500); // the last SSE frames
  return { drainS: (Date.now() - t0) / 1000, metrics };
}

function startEcho(): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'serve-echo.ts'), '0'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.stdout!.once('data', (b: Buffer) => resolve({ proc, url: `http://127.0.0.1:${(JSON.parse(b.toString()) as { port: number }).port}/api/v1/ingest` }));
    proc.once('exit', (c) => reject(new Error(`echo server exited ${c}`)));
  });
}

type Serve = Pick<ServeProcess, 'url' | 'token' | 'data' | 'proc' | 'stop'>;

/** test/helpers/serve.ts's startServe, with node flags (--cpu-prof) and the rate limit lifted. */
async function spawnServe(data: string, args: string[], nodeArgs: string[]): Promise<Serve> {
  const port = await freePort();
  const env = { ...process.env, SHELLWATCH_LIMITS_RATE_PER_MINUTE: '100000000' };
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(projectRoot, 'src', 'cli', 'main.ts'), 'serve', '--data', data, '--listen', `127.0.0.1:${port}`, ...args], { cwd: projectRoot, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  await until('serve to be ready', async () => {
    if (proc.exitCode !== null) throw new Error(`serve exited ${proc.exitCode}`);
    return (await fetch(`${url}/api/v1/ready`)).ok;
  }, 120_000);
  const token = readFileSync(join(data, 'admin.token'), 'utf8').trim();
  return { url, token, data, proc, stop: async () => { proc.kill('SIGTERM'); return exited; } };
}

const ratio = (a: number | null, b: number | null) => (a !== null && b ? +(a / b).toFixed(2) : null);

export async function runServeLatencyBench(): Promise<void> {
  const env = process.env;
  const seconds = Number(env.BENCH_SERVE_SECONDS ?? 60);
  const rate = Number(env.BENCH_SERVE_RATE ?? 10_000);
  const echoSeconds = Number(env.BENCH_SERVE_ECHO_SECONDS ?? seconds);
  const poolSize = Number(env.BENCH_SERVE_POOL ?? 20_000);
  const rampOf = (v: string) => v.split(',').map(Number).filter((n) => n > 0);
  const inflight = Number(env.BENCH_SERVE_INFLIGHT ?? 4);
  for (const d of RULE_DIRS) if (!existsSync(d)) { console.error(`bench serve-latency: no ${d}`); return; }
  const dir = mkdtempSync(join(tmpdir(), 'sw-serve-bench-'));
  const log = (s: string) => process.stderr.write(`serve-latency: ${s}\n`);
  const children: ChildProcess[] = [];
  try {
    const pool = await buildPool(poolSize);
    const poolFile = join(dir, 'pool.ndjson');
    writeFileSync(poolFile, pool.lines.join('\n') + '\n');
    const bytesPerEvent = Math.round(pool.lines.reduce((n, l) => n + l.length + 1, 0) / pool.lines.length);
    const workload = `${rate} events/s (${rate / 100} per POST every 10 ms, ≤${inflight} in flight), pool ${poolSize} resampled from ${JSON.stringify(pool.kinds)} as ${JSON.stringify(pool.picked)}, ~${bytesPerEvent} B/event`;
    log(workload);

    // (1) the parse-only baseline
    const echo = await startEcho();
    children.push(echo.proc);
    const e0 = procStat(echo.proc.pid!);
    const eRss = rssSampler(echo.proc.pid!);
    const eSend = await runSender({ url: echo.url, pool: poolFile, rate, seconds: echoSeconds, idBase: 1, inflight });
    eRss.stop();
    const e1 = procStat(echo.proc.pid!);
    echo.proc.kill('SIGTERM');
    const echoCpuS = e1.cpuS - e0.cpuS;
    const echoRss = rssSummary(eRss.samples);
    log(`echo: ${JSON.stringify(eSend)}`);

    // (2) serve
    // BENCH_SERVE_PROF=DIR: a V8 CPU profile of the server, written to DIR when it stops
    const nodeArgs = env.BENCH_SERVE_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_SERVE_PROF}`] : [];
    const s = await spawnServe(join(dir, 'data'), RULE_DIRS.flatMap((d) => ['--rules', d]), nodeArgs);
    children.push(s.proc);
    const pid = s.proc.pid!;
    const mon = new AlertMonitor(s);
    await mon.open();
    const m0 = await scrape(s);
    const c0 = procStat(pid);
    const sRss = rssSampler(pid);
    const ingest = `${s.url}/api/v1/ingest`;
    const main = await withDepth(s, 1000, runSender({ url: ingest, token: s.token, pool: poolFile, rate, seconds, idBase: 1e9, inflight }));
    sRss.stop();
    const cSent = procStat(pid);
    const mainDrain = await drain(s);
    const c1 = procStat(pid);
    const send = main.result;
    log(`serve: ${JSON.stringify(send)}; drained in ${mainDrain.drainS}s`);

    // (3) the ramp: upwards from the main rate when that was sustained, else upwards from 500/s
    const mainOk = send.status429 === 0 && send.failed === 0 && send.achievedRate >= 0.97 * rate;
    const ramp = rampOf(env.BENCH_SERVE_RAMP ?? (mainOk ? '15000,20000,30000,40000,50000,60000,80000' : '500,1000,1500,2000,2500,3000,4000,5000'));
    const steps: Record<string, unknown>[] = [];
    let sustained = 0;
    let acked = send.acked;
    let idBase = 2e9;
    for (const r of ramp) {
      mon.phase = `ramp-${r}`;
      const cs = procStat(pid);
      const step = await withDepth(s, 500, runSender({ url: ingest, token: s.token, pool: poolFile, rate: r, seconds: 10, idBase, inflight }));
      const cpuS = procStat(pid).cpuS - cs.cpuS;
      idBase += 1e8;
      const d = step.depth;
      const half = d.filter((x) => x.t >= 5);
      const last = d[d.length - 1]?.d ?? 0;
      const growing = half.length > 1 && last > r * 0.5 && last > half[0].d;
      const dr = await drain(s);
      acked += step.result.acked;
      const ok = step.result.sent > 0 && step.result.status429 === 0 && step.result.failed === 0 && step.result.achievedRate >= 0.97 * r && !growing;
      const lat = quantiles(mon.latency.get(mon.phase) ?? []);
      steps.push({ rate: r, sustained: ok, achievedRate: step.result.achievedRate, status429: step.result.status429, maxQueueDepth: Math.max(0, ...d.map((x) => x.d)), endQueueDepth: last, drainS: dr.drainS, ackMs: step.result.ackMs, alertMs: lat, serveCores: +(cpuS / step.result.wallS).toFixed(2), unsent: step.result.unsent, senderMaxLateMs: Math.round(step.result.maxLateMs) });
      log(`ramp ${r}/s: ${JSON.stringify(steps[steps.length - 1])}`);
      if (!ok) break;
      sustained = r;
    }
    mon.close();

    // (4) stop, count the store
    const m1 = await scrape(s);
    await s.stop();
    const db = new Database(join(s.data, 'shellwatch.db'), { readonly: true, fileMustExist: true });
    const stored = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const storedAlerts = (db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n;
    db.close();

    // results
    const mainLat = quantiles(mon.latency.get('main') ?? []);
    const mainIn = mainDrain.metrics.eventsIn - m0.eventsIn;
    const mainAlerts = mainDrain.metrics.alerts - m0.alerts;
    const rss = rssSummary(sRss.samples);
    const serveCpuS = c1.cpuS - c0.cpuS;
    const usPer = (cpu: number, n: number) => +(cpu / n * 1e6).toFixed(1);
    const h = mainDrain.metrics.hist;
    const le = (b: number) => h.find(([x]) => x === b)?.[1] ?? NaN;
    const histTotal = le(Infinity);
    const results = [
      { bench: 'serve-latency', case: `echo baseline (node:http + readBuffer, no store/detection), ${echoSeconds} s at ${workload}`, metric: 'ack ms p99', value: eSend.ackMs.p99, ack: eSend.ackMs, sent: eSend.sent, acked: eSend.acked, achievedRate: eSend.achievedRate, cpuS: +echoCpuS.toFixed(2), usPerEvent: usPer(echoCpuS, eSend.acked), rssMB: echoRss, senderCpuS: eSend.cpuS },
      { bench: 'serve-latency', case: `serve, ${seconds} s: events sent → acknowledged → stored (events_in_total after drain; SQLite count after the ramp too)`, metric: 'events lost', value: send.acked - mainIn, target: 0, sent: send.sent, acked: send.acked, eventsInTotal: mainIn, duplicates: mainDrain.metrics.dup - m0.dup, status429: send.status429, failed: send.failed, allAcked: acked, storedInDb: stored, lostInDb: acked - stored },
      { bench: 'serve-latency', case: `serve, ${seconds} s: ingest-to-stored-alert latency (SSE arrival − alert.time = send time), ${mainAlerts} alerts stored, ${mainLat.n} seen on the stream`, metric: 'ms p99', value: mainLat.p99, target: 20, p50: mainLat.p50, p999: mainLat.p999, p999Target: 50, max: mainLat.max, bySource: Object.fromEntries([...mon.bySource].map(([k, v]) => [k, quantiles(v)])), sseDisconnects: mon.disconnects, oddTimes: mon.odd, serverHistogram: { count: histTotal, le10ms: +(le(0.01) / histTotal).toFixed(4), le20ms: +(le(0.02) / histTotal).toFixed(4), le50ms: +(le(0.05) / histTotal).toFixed(4), le100ms: +(le(0.1) / histTotal).toFixed(4) } },
      { bench: 'serve-latency', case: `serve, ${seconds} s: sender-side ack latency (send → 200), vs the echo server`, metric: 'ms p99', value: send.ackMs.p99, baseline: eSend.ackMs.p99, ratio: ratio(send.ackMs.p99, eSend.ackMs.p99), serve: send.ackMs, echo: eSend.ackMs, p50Ratio: ratio(send.ackMs.p50, eSend.ackMs.p50), maxQueueDepth: Math.max(0, ...main.depth.map((x) => x.d)), drainS: mainDrain.drainS, senderMaxLateMs: Math.round(send.maxLateMs) },
      { bench: 'serve-latency', case: `serve, ${seconds} s: CPU per event acknowledged (server process, send + drain), vs the echo server`, metric: 'µs/event', value: usPer(serveCpuS, send.acked), baseline: usPer(echoCpuS, eSend.acked), ratio: ratio(usPer(serveCpuS, send.acked), usPer(echoCpuS, eSend.acked)), serveCpuS: +serveCpuS.toFixed(2), serveCores: +((cSent.cpuS - c0.cpuS) / send.wallS).toFixed(2), echoCores: +(echoCpuS / eSend.wallS).toFixed(2), senderCpuS: send.cpuS },
      { bench: 'serve-latency', case: `serve, ${seconds} s: resident memory (VmRSS every 2 s while sending)`, metric: 'MB at end', value: rss.end, at10s: rss.at10, max: rss.max, min: rss.min, growthAfter10s: +(rss.end - rss.at10).toFixed(1), baseline: echoRss.end, ratio: ratio(rss.end, echoRss.end), samples: sRss.samples.map((x) => x.mb) },
      { bench: 'serve-latency', case: `serve: highest sustained rate, 10 s steps after the main run (no 429, queue not growing, sender ≥97% of target)`, metric: 'events/s', value: sustained || null, mainRateSustained: mainOk, steps, alertsStoredInDb: storedAlerts, alertsStoredTotal: m1.alerts },
    ];
    for (const r of results) console.log(JSON.stringify(r));
    const pass = (b: boolean) => (b ? 'met' : 'MISSED');
    log([
      `summary (${seconds} s at ${rate}/s; echo ${echoSeconds} s):`,
      `  events: sent ${send.sent}, acknowledged ${send.acked}, stored ${mainIn} → lost ${send.acked - mainIn} (${pass(send.acked === mainIn)}); after the ramp: acknowledged ${acked}, in SQLite ${stored}, lost ${acked - stored}`,
      `  alerts: ${mainAlerts} stored, ${mainLat.n} seen; latency p50 ${mainLat.p50} ms, p99 ${mainLat.p99} ms (≤20: ${pass((mainLat.p99 ?? Infinity) <= 20)}), p99.9 ${mainLat.p999} ms (≤50: ${pass((mainLat.p999 ?? Infinity) <= 50)}), max ${mainLat.max} ms`,
      `  ack: serve p50 ${send.ackMs.p50} / p99 ${send.ackMs.p99} ms vs echo p50 ${eSend.ackMs.p50} / p99 ${eSend.ackMs.p99} ms`,
      `  CPU: serve ${usPer(serveCpuS, send.acked)} µs/event vs echo ${usPer(echoCpuS, eSend.acked)} µs/event`,
      `  RSS: at 10 s ${rss.at10} MB, end ${rss.end} MB, max ${rss.max} MB (echo end ${echoRss.end} MB)`,
      `  ${rate}/s ${mainOk ? 'sustained' : `NOT sustained (the sender got ${send.achievedRate}/s through)`}; highest sustained rate in 10 s steps: ${sustained || `below ${ramp[0]}`} events/s`,
    ].join('\n'));
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (!env.BENCH_SERVE_KEEP) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

if (process.argv[1]?.endsWith('serve-latency.ts')) await runServeLatencyBench();
