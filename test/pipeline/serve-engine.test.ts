// The live engine over the real SQLite store: commit-then-acknowledge, retention, content keys, stable alert ids,
// backpressure, per-host watermarks with idle flush and a clamp for forged future times, host eviction
// under a budget, restart replay, rules reload, rule test and retro-hunt.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BusyError, type RawRecord } from '../../src/core/index.js';
import { toRawRecord } from '../../src/ingest/json/shapes.js';
import { DEFAULT_CONFIG, type ServeConfig } from '../../src/pipeline/serve/config.js';
import { Engine } from '../../src/pipeline/serve/engine.js';
import type { DetectionThread } from '../../src/pipeline/serve/detect-handle.js';
import { openStore } from '../../src/pipeline/serve/store.js';
import { retroHunt, testRule } from '../../src/pipeline/serve/rules.js';
import type { Store } from '../../src/store/contract.js';
import { prepareHunt } from '../../src/pipeline/setup.js';
import { StreamPipeline } from '../../src/pipeline/stream.js';
import { waitFor } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-engine-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** fixed times: tests never read the clock */
const T = Date.parse('2026-03-02T09:00:00Z');
const FUTURE = Date.parse('2100-01-01T00:00:00Z');

/** A Sysmon process creation in the EVTX-to-JSON shape. */
function proc(host: string, pid: number, image: string, cmd: string, ppid: number, pimage: string, timeMs: number): RawRecord {
  const guid = (p: number) => `{11111111-0000-0000-0000-${String(p).padStart(12, '0')}}`;
  return toRawRecord({ Event: { System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: host, EventRecordID: ++n, TimeCreated: { '#attributes': { SystemTime: new Date(timeMs).toISOString() } } },
    EventData: { ProcessGuid: guid(pid), ProcessId: String(pid), Image: image, CommandLine: cmd, User: 'CORP\\alice', ParentProcessGuid: guid(ppid), ParentProcessId: String(ppid), ParentImage: pimage, ParentCommandLine: pimage } } }, 'test', n, 0);
}

/** winword → powershell -enc: unusual-shell-execution and encoded-obfuscated-cli. */
const attack = (host: string, t: number) => [
  proc(host, 100, 'C:\\Program Files\\Microsoft Office\\WINWORD.EXE', 'WINWORD.EXE /n doc.docm', 50, 'C:\\Windows\\explorer.exe', t),
  proc(host, 101, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA', 100, 'C:\\Program Files\\Microsoft Office\\WINWORD.EXE', t + 1000),
];

async function open(name: string, patch: Partial<ServeConfig['pipeline']> = {}, limits: Partial<ServeConfig['limits']> = {}): Promise<{ store: Store; engine: Engine }> {
  const store = await openStore({ kind: 'sqlite', path: join(dir, `${name}.db`) });
  const config: ServeConfig = { ...DEFAULT_CONFIG, pipeline: { ...DEFAULT_CONFIG.pipeline, ...patch }, limits: { ...DEFAULT_CONFIG.limits, ...limits } };
  return { store, engine: await Engine.open(store, config) };
}

async function alerts(store: Store) {
  return (await store.listAlerts({}, 1000)).items;
}

describe('serve engine', () => {
  it('commits before it answers, keys records by content, and gives alerts stable ids', async () => {
    const { store, engine } = await open('ids');
    const t = Date.parse('2026-03-02T09:00:00Z');
    const recs = attack('wks01', t);
    const copies = structuredClone(recs).map((r) => ({ ...r, ref: { ...r.ref, file: 'elsewhere', record: 'other' } }));
    const r1 = await engine.accept(recs, { stream: 'test' });
    assert.equal(r1.accepted, 2);
    assert.equal(await store.lastSeq(), 2, 'committed when accept resolved');
    const r2 = await engine.accept(copies, { stream: 'other' });
    assert.equal(r2.duplicates, 2, 'the same content from another stream is the same record');
    await engine.settle();
    const a = await alerts(store);
    assert.deepEqual(a.map((x) => x.alert.rule.id).sort(), ['encoded-obfuscated-cli', 'unusual-shell-execution']);
    assert.ok(a.every((x) => x.id === x.alert.id && /^[0-9a-f]{32}$/.test(x.id)));
    assert.ok(a.every((x) => x.alert.event.stream === 'test' && typeof x.alert.event.seq === 'number'));
    await engine.close();
    // a restart replays the store: the same alerts, none twice
    const again = await Engine.open(store, engine.config);
    await again.settle();
    assert.deepEqual((await alerts(store)).map((x) => x.id).sort(), a.map((x) => x.id).sort());
    await again.close();
    await store.close();
  });

  it('refuses a delivery with BusyError when detection is too far behind, storing none of it', async () => {
    const { store, engine } = await open('busy', {}, { queueEvents: 3 });
    const t = Date.parse('2026-03-02T09:00:00Z');
    // a large delivery into an empty queue goes; one more while it is written or detected does not
    const first = engine.accept([...attack('h1', t), ...attack('h2', t)], { stream: 'test' });
    await assert.rejects(engine.accept(attack('h3', t), { stream: 'test' }), (e: unknown) => e instanceof BusyError && e.retryAfterS > 0);
    await first;
    assert.equal(await store.lastSeq(), 4, 'the refused delivery stored nothing');
    await engine.close();
    await store.close();
  });

  it('with a reorder window, a quiet host is still checked: released by the idle flush once idleFlushMs has passed', async () => {
    // the mechanism, on a clock of its own: nothing before idleFlushMs, everything at it
    const got: string[] = [];
    const p = new StreamPipeline(await prepareHunt({}), { detectors: 'builtin', reorderWindowMs: 60_000 }, { alert: (a) => got.push(a.rule.id), diagnostic: () => {} });
    for (const r of attack('quiet', T)) p.push(r, T);
    p.release();
    assert.equal(p.idle(T + 499, 500), 0);
    assert.equal(got.length, 0, 'held by the window');
    assert.equal(p.idle(T + 500, 500), 2);
    assert.deepEqual(got.sort(), ['encoded-obfuscated-cli', 'unusual-shell-execution']);
    // the engine runs it on a timer (every idleFlushMs / 2, so a quiet host waits at most 1.5 × idleFlushMs: 1.5 s by default)
    const { store, engine } = await open('idle', { reorderWindowMs: 60_000, idleFlushMs: 500 });
    await engine.accept(attack('quiet', Date.parse('2026-03-02T09:00:00Z')), { stream: 'test' });
    await waitFor('the idle flush', async () => (await alerts(store)).length >= 2);
    await engine.close();
    await store.close();
  });

  it('an event stamped far in the future cannot advance its host\'s watermark (SW2003, said once)', async () => {
    const codes: string[] = [];
    const got: string[] = [];
    const p = new StreamPipeline(await prepareHunt({}), { detectors: 'builtin', reorderWindowMs: 10_000, maxSkewMs: 1000 }, { alert: (a) => got.push(a.rule.id), diagnostic: (d) => codes.push(d.code) });
    const [parent, child] = attack('skewed', T);
    // a forged event a year ahead, then the parent and child at their receive time
    p.push(proc('skewed', 900, 'C:\\x.exe', 'x', 1, 'C:\\y.exe', T + 365 * 86400_000), T);
    p.push(proc('skewed', 901, 'C:\\x.exe', 'x', 1, 'C:\\y.exe', T + 366 * 86400_000), T);
    p.push(child, T);
    p.push(parent, T);
    p.release();
    assert.deepEqual(codes.filter((c) => c === 'SW2003'), ['SW2003']);
    assert.equal(got.length, 0, 'nothing released early: the window still holds the host');
  });

  it('keeps at most maxHosts hosts\' state, evicting the least recently active and counting it', async () => {
    const { store, engine } = await open('evict', { maxHosts: 2 });
    const t = Date.parse('2026-03-02T09:00:00Z');
    for (const h of ['a', 'b', 'c', 'd']) await engine.accept(attack(h, t), { stream: 'test' });
    await engine.settle();
    assert.equal(engine.hosts, 2);
    assert.equal(engine.evictions, 2);
    assert.equal((await alerts(store)).length, 8, 'evicted hosts were detected first');
    await engine.close();
    await store.close();
  });

  it('a followed file\'s records naming no host are this machine\'s', async () => {
    const { store, engine } = await open('follow-host');
    const r = toRawRecord({ '@timestamp': '2026-03-02T09:00:00Z', message: 'x' }, 'f', 1, 0);
    await engine.accept([r], { stream: 'follow:/var/log/x.log', sender: 'this-host', defaultHost: 'this-host' });
    assert.equal((await store.readEvents(0, 10))[0].host, 'this-host');
    await engine.close();
    await store.close();
  });

  it('tests a rule on sample events and retro-hunts stored events', async () => {
    const rule = `title: Encoded PowerShell\nid: 11111111-2222-3333-4444-555555555555\nstatus: test\nlevel: high\nlogsource: { product: windows, category: process_creation }\ndetection:\n  sel: { CommandLine|contains: ' -enc ' }\n  condition: sel\n`;
    const r = await testRule(rule, [{ EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\p.exe', CommandLine: 'powershell -enc AAAA' }, { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\p.exe', CommandLine: 'dir' }]);
    assert.equal(r.rule?.loaded, true);
    assert.deepEqual(r.matches.map((m) => m.index), [0]);
    const { store, engine } = await open('retro');
    await engine.accept(attack('retro', Date.parse('2026-03-02T09:00:00Z')), { stream: 'test' });
    await engine.settle();
    const hunt = await retroHunt(engine, { rules: [rule] });
    assert.equal(hunt.scanned, 2);
    assert.equal(hunt.alerts.length, 1);
    assert.equal(hunt.alerts[0].rule.title, 'Encoded PowerShell');
    await engine.close();
    await store.close();
  });
});

describe('serve engine retention', () => {
  it('deletes raw events older than retentionDays by receive time, keeping alerts', async () => {
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'retention.db') });
    const engine = await Engine.open(store, { ...DEFAULT_CONFIG, retentionDays: 1 });
    const t = Date.parse('2026-03-02T09:00:00Z');
    // received "in 2100": the purge the engine runs at start (on the real clock) finds nothing to delete
    await engine.accept(attack('old', t), { stream: 'test', receivedMs: FUTURE - 3 * 86_400_000 });
    await engine.accept(attack('new', t), { stream: 'test', receivedMs: FUTURE });
    await engine.settle();
    await engine.purge(FUTURE);
    assert.equal(engine.purged, 2);
    assert.deepEqual((await store.readEvents(0, 10)).map((e) => e.host), ['new', 'new']);
    assert.equal((await alerts(store)).length, 4, 'alerts are kept');
    await engine.close();
    await store.close();
  });
});

describe('serve engine snapshots', () => {
  it('a clean stop leaves a snapshot; the next start restores it instead of replaying, and goes on with lineage intact', async () => {
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'snapshot.db') });
    const config: ServeConfig = { ...DEFAULT_CONFIG, pipeline: { ...DEFAULT_CONFIG.pipeline, snapshotEvery: 1 } };
    const t = Date.parse('2026-03-02T09:00:00Z');
    const [parent, child] = attack('snap', t);
    const first = await Engine.open(store, config);
    await first.accept([parent], { stream: 'test' });
    await first.close();
    const saved = await store.getSnapshot('detect.pipeline');
    assert.ok(saved && saved.seq === 1, 'the state covering seq 1 was stored');
    const second = await Engine.open(store, config);
    assert.equal(second.ready(), true, 'ready at once: nothing to replay');
    await second.accept([child], { stream: 'test' });
    await second.settle();
    const a = (await alerts(store)).find((x) => x.alert.rule.id === 'unusual-shell-execution');
    assert.match(a?.alert.parent.image ?? '', /WINWORD/i, 'the child found its parent in the restored lineage');
    assert.match(a?.alert.ancestors[1]?.image ?? '', /explorer/i, 'and the parent\'s own parent');
    await second.close();
    await store.close();
  });
});

describe('serve engine detection thread', () => {
  it('runs detection on its own thread, and a thread that dies is replaced and goes on from the store', async () => {
    const path = join(dir, 'thread.db');
    const store = await openStore({ kind: 'sqlite', path });
    const config: ServeConfig = { ...DEFAULT_CONFIG };
    const engine = await Engine.open(store, config, { thread: { kind: 'sqlite', path } });
    const t = Date.parse('2026-03-02T09:00:00Z');
    await engine.accept(attack('thread-a', t), { stream: 'test' });
    await engine.settle();
    assert.equal((await alerts(store)).length, 2);
    const handle = (engine as unknown as { detection: DetectionThread }).detection;
    await handle.crash();
    await engine.accept(attack('thread-b', t), { stream: 'test' });
    await waitFor('the replacement thread to detect what came after', async () => (await alerts(store)).length >= 4);
    assert.ok(engine.counters.diagnostics.SW9001 >= 1, 'the crash was said');
    await engine.close();
    await store.close();
  });
});
