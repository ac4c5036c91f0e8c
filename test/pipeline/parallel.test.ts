import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../../src/core/index.js';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultDetectors, hunt } from '../../src/pipeline/index.js';
import { planParallel } from '../../src/pipeline/plan.js';
import { runParallel, startHuntWorker } from '../../src/pipeline/parallel.js';
import type { Progress } from '../../src/pipeline/hunt.js';
import { estimateEvtxRecords } from '../../src/ingest/evtx/header.js';
import { corpusPath, projectRoot } from '../helpers/corpus.js';

const key = (a: Alert) => `${a.rule.id}|${a.event.file}|${a.event.record}|${a.time}`;

test('two workers raise exactly the alerts one thread raises, grouped by input file, deterministically', async () => {
  const paths = [corpusPath('evtx-attack-samples', 'Lateral Movement'), corpusPath('hayabusa-sample-evtx', 'DeepBlueCLI')];
  const one: Alert[] = [];
  const s1 = await hunt(paths, { detectors: defaultDetectors(), threads: 1 }, (a) => one.push(a));
  const two: Alert[] = [];
  const s2 = await hunt(paths, { detectors: defaultDetectors(), threads: 2 }, (a) => two.push(a));
  assert.ok(one.length > 10);
  assert.deepEqual(two.map(key).sort(), one.map(key).sort());
  assert.equal(s2.events, s1.events);
  assert.deepEqual(s2.alertsByRule, s1.alertsByRule);
  assert.deepEqual(s2.files.map((f) => f.name), s1.files.map((f) => f.name));
  const again: Alert[] = [];
  await hunt(paths, { detectors: defaultDetectors(), threads: 2 }, (a) => again.push(a));
  assert.deepEqual(again.map(key), two.map(key), 'same order every run');
  const files = two.map((a) => a.event.file);
  const firstSeen = [...new Set(files)];
  assert.deepEqual(firstSeen, [...firstSeen].sort(), 'grouped by file in input (name) order');
});

test('planning estimates records from EVTX headers and makes one work item per folder, large ones first', async () => {
  const paths = [corpusPath('evtx-attack-samples'), corpusPath('hayabusa-sample-evtx')];
  const { items, records, files } = planParallel(paths);
  const one: Alert[] = [];
  const s = await hunt(paths, { detectors: 'builtin', threads: 1 }, (a) => one.push(a));
  assert.ok(Math.abs(records - s.records) <= s.records * 0.02, `estimated ${records}, read ${s.records}`);
  assert.equal(items.reduce((n, i) => n + i.records, 0), records);
  const dirs = items.map((i) => new Set(i.files.map((f) => dirname(f))));
  for (const d of dirs) assert.equal(d.size, 1, 'one folder per item');
  assert.equal(new Set(dirs.map((d) => [...d][0])).size, items.length, 'each folder once');
  // the large folders first (largest first), then the others in input order
  const big = items.filter((i) => i.records * 16 >= records);
  for (let i = 1; i < big.length; i++) assert.ok(big[i - 1].records >= big[i].records, 'largest first');
  const small = items.slice(big.length);
  assert.ok(small.every((i) => i.records * 16 < records));
  for (let i = 1; i < small.length; i++) assert.ok(small[i - 1].ranks[0] < small[i].ranks[0], 'then input order');
  for (const i of items) i.files.forEach((f, k) => assert.equal(files[i.ranks[k]], f, 'ranks are input order'));
  assert.equal(items.flatMap((i) => i.files).length, files.length);
});

test('what the planner skips or cannot read is reported as one thread reports it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-par-'));
  try {
    const src = corpusPath('evtx-attack-samples', 'Lateral Movement', 'LM_xp_cmdshell_MSSQL_Events.evtx');
    for (const h of ['host-a', 'host-b']) {
      mkdirSync(join(dir, h));
      copyFileSync(src, join(dir, h, 'Application.evtx'));
      writeFileSync(join(dir, h, 'README.md'), 'notes\n');
    }
    symlinkSync(join(dir, 'missing.evtx'), join(dir, 'host-b', 'dangling.evtx'));
    const run = async (threads: number) => {
      const diags: string[] = [];
      const s = await hunt([dir], { detectors: defaultDetectors(), threads, onDiagnostic: (d) => diags.push(`${d.code} ${d.location?.file}`) }, () => {});
      return { diags: diags.sort(), codes: s.diagnosticsByCode, files: s.files.map((f) => `${f.name} ${f.reader} ${f.records}`).sort(), events: s.events };
    };
    const one = await run(1);
    const two = await run(2);
    assert.deepEqual(one.codes, { SW1001: 1, SW1011: 2 });
    // one host's log in two folders, hunted by two workers: said once
    assert.deepEqual(two.codes, { ...one.codes, SW3002: 1 });
    assert.deepEqual(two.diags, [...one.diags, 'SW3002 undefined']);
    assert.deepEqual({ ...two, codes: one.codes, diags: one.diags }, one);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('onAlertLines hands over the workers\' JSON Lines: the same alerts, in the same order, as onAlert gets', async () => {
  const paths = [corpusPath('evtx-attack-samples', 'Lateral Movement'), corpusPath('hayabusa-sample-evtx', 'DeepBlueCLI')];
  const objects: Alert[] = [];
  await hunt(paths, { detectors: 'builtin', threads: 2 }, (a) => objects.push(a));
  const batches: Buffer[] = [];
  await hunt(paths, { detectors: 'builtin', threads: 2, onAlertLines: (b) => batches.push(Buffer.from(b)) }, () => assert.fail('objects sent'));
  const text = Buffer.concat(batches).toString('utf8');
  assert.ok(text.endsWith('\n'));
  const lines = text.slice(0, -1).split('\n');
  assert.ok(lines.length > 10);
  assert.deepEqual(lines, objects.map((a) => JSON.stringify(a)));
});

test('a host whose logs sit in two folders hunted apart is named (SW3002); one thread links them', async () => {
  // Tchopper (hayabusa samples): FS03's service installs in one folder, the 4688 events they caused in another
  const base = corpusPath('hayabusa-sample-evtx', 'EVTX-to-MITRE-Attack');
  const paths = [join(base, 'TA0002-Execution', 'T1569.002-Service execution'), join(base, 'TA0005-Defense Evasion', 'T1027-Obfuscated Files or Information')];
  const run = async (threads: number) => {
    const diags: string[] = [];
    let alerts = 0;
    const s = await hunt(paths, { detectors: 'builtin', threads, onDiagnostic: (d) => { if (d.code === 'SW3002') diags.push(d.message); } }, () => alerts++);
    return { diags, alerts, s };
  };
  const one = await run(1);
  const two = await run(2);
  assert.deepEqual(one.diags, []);
  assert.equal(two.diags.length, 1);
  assert.match(two.diags[0], /^1 host\(s\) have logs in several folders, each hunted on its own \(fs03\.offsec\.lan\)/);
  assert.equal(two.s.diagnosticsByCode.SW3002, 1);
  assert.ok(one.alerts > two.alerts, `one thread ${one.alerts} alerts, two workers ${two.alerts}`);
  assert.deepEqual(two.s.hosts, one.s.hosts);
});

test('a parallel hunt reports progress: the workers\' totals summed, never going back', async () => {
  const src = corpusPath('hayabusa-sample-evtx', 'EVTX-to-MITRE-Attack', 'TA0005-Defense Evasion', 'T1027-Obfuscated Files or Information', 'ID4688-Obfuscated payload transfer via service name - Tchopper.evtx');
  const perFile = estimateEvtxRecords(readFileSync(src).subarray(0, 4096 + 32))!;
  // each worker reports every 5,000 records: give each folder more than that
  const copies = Math.ceil(6000 / perFile);
  const dir = mkdtempSync(join(tmpdir(), 'sw-progress-'));
  try {
    for (const h of ['host-a', 'host-b']) {
      mkdirSync(join(dir, h));
      for (let i = 0; i < copies; i++) copyFileSync(src, join(dir, h, `Security-${i}.evtx`));
    }
    const seen: Progress[] = [];
    const s = await hunt([dir], { detectors: 'builtin', threads: 2, onProgress: (p) => seen.push({ ...p }) }, () => {});
    assert.ok(seen.length >= 2, `${seen.length} progress reports`);
    for (let i = 1; i < seen.length; i++) {
      assert.ok(seen[i].events >= seen[i - 1].events && seen[i].files >= seen[i - 1].files, 'never going back');
    }
    const last = seen[seen.length - 1];
    assert.ok(last.events > s.events / 2 && last.events <= s.events, `last ${last.events} of ${s.events}`);
    assert.ok(last.files > copies, 'both workers counted');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a parallel hunt\'s output does not depend on the number of workers: each folder is hunted on its own', async () => {
  const paths = [corpusPath('evtx-attack-samples')];
  const run = async (threads: number) => {
    const lines: Buffer[] = [];
    const diags: string[] = [];
    const s = await hunt(paths, { detectors: 'builtin', threads, onAlertLines: (b) => lines.push(Buffer.from(b)), onDiagnostic: (d) => diags.push(JSON.stringify(d)) }, () => assert.fail('objects sent'));
    return { text: Buffer.concat(lines).toString('utf8'), diags, summary: JSON.stringify({ ...s, elapsedMs: 0 }) };
  };
  const two = await run(2);
  const three = await run(3);
  assert.ok(two.text.split('\n').length > 10, `${two.text.split('\n').length - 1} alerts`);
  assert.equal(three.text, two.text);
  assert.deepEqual(three.diags, two.diags);
  assert.equal(three.summary, two.summary);
});

test('a parallel hunt hands alerts over while it runs, in input order, once every file before them is done', async () => {
  const src = corpusPath('hayabusa-sample-evtx', 'EVTX-to-MITRE-Attack', 'TA0002-Execution', 'T1569.002-Service execution', 'ID7000,7009,7045-Payload deployed via service - Tchopper.evtx');
  const dir = mkdtempSync(join(tmpdir(), 'sw-stream-'));
  try {
    for (let h = 0; h < 8; h++) {
      mkdirSync(join(dir, `host-${h}`));
      copyFileSync(src, join(dir, `host-${h}`, 'System.evtx'));
    }
    const log: string[] = [];
    const files: string[] = [];
    const s = await hunt([dir], { detectors: 'builtin', threads: 2, onProgress: () => log.push('progress') }, (a) => { log.push('alert'); files.push(a.event.file); });
    assert.ok(s.alerts > 100, `${s.alerts} alerts`);
    assert.ok(log.indexOf('alert') < log.lastIndexOf('progress'), 'alerts before the last progress report');
    assert.deepEqual(files, [...files].sort(), 'in input order');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('archives read by the calling process during a parallel hunt come after the workers\' alerts, whatever finishes first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-rest-'));
  try {
    const src = corpusPath('hayabusa-sample-evtx', 'EVTX-to-MITRE-Attack', 'TA0002-Execution', 'T1569.002-Service execution', 'ID7000,7009,7045-Payload deployed via service - Tchopper.evtx');
    for (const h of ['host-a', 'host-b']) {
      mkdirSync(join(dir, h));
      copyFileSync(src, join(dir, h, 'System.evtx'));
    }
    // a gzip of JSON events (written by this project: samples/), read by the calling process
    copyFileSync(join(projectRoot, 'samples', 'windows-security.jsonl.gz'), join(dir, 'host-a', 'Security.jsonl.gz'));
    const run = async (threads: number) => {
      const files: string[] = [];
      await hunt([dir], { detectors: 'builtin', threads }, (a) => files.push(a.event.file));
      return files;
    };
    const two = await run(2);
    const gz = two.findIndex((f) => f.endsWith('.gz'));
    assert.ok(gz > 0, 'the archive raised alerts');
    assert.ok(two.slice(gz).every((f) => f.endsWith('.gz')), 'after every worker alert');
    assert.deepEqual(await run(3), two);
    assert.deepEqual(await run(2), two);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker that dies makes the parallel hunt fail with SW9001, without hanging, and stops the others', async () => {
  const { items, files } = planParallel([corpusPath('evtx-attack-samples')]);
  const workers = [0, 1].map((i) => startHuntWorker({ detectors: 'builtin' }, true, i === 0));
  const diags: string[] = [];
  const running = runParallel(items, files.length, workers, { onAlert: () => {} }, (d) => diags.push(d.code));
  workers[1].stop();
  await assert.rejects(running, /worker exited/);
  assert.deepEqual(diags, ['SW9001']);
  await Promise.all(workers.map((w) => w.exited));
});

test('workers asked for with one folder to spread: one thread, and the run says why (SW1014)', async () => {
  const path = corpusPath('evtx-attack-samples', 'Lateral Movement');
  const diags: string[] = [];
  const s = await hunt([path], { detectors: 'builtin', threads: 2, onDiagnostic: (d) => diags.push(d.code) }, () => {});
  assert.deepEqual(diags.filter((c) => c === 'SW1014'), ['SW1014']);
  assert.equal(s.diagnosticsByCode.SW1014, 1);
  const one = await hunt([path], { detectors: 'builtin', threads: 1 }, () => {});
  assert.equal(s.alerts, one.alerts);
  const auto: string[] = [];
  await hunt([path], { detectors: 'builtin', threads: 'auto', onDiagnostic: (d) => auto.push(d.code) }, () => {});
  assert.ok(!auto.includes('SW1014'), 'auto decides for itself: nothing to say');
});

test('a parallel hunt given detectors of its own runs them (here, on one thread, saying why), never the built-ins instead', async () => {
  const path = corpusPath('evtx-attack-samples');
  const mine = { id: 'my-detector', title: 'Mine', level: 'low' as const, techniques: [], description: '', detect: (ev: { kind: string }) => (ev.kind === 'process_start' ? [{ reason: 'mine' }] : []) };
  const diags: string[] = [];
  const rules = new Set<string>();
  await hunt([path], { detectors: [mine as never], threads: 2, onDiagnostic: (d) => diags.push(d.code) }, (a) => rules.add(a.rule.id));
  assert.deepEqual([...rules], ['my-detector']);
  assert.ok(diags.includes('SW1014'));
  // the built-in instances are sent to workers by id: only those asked for run there
  const only = new Set<string>();
  const builtin = defaultDetectors().filter((d) => d.id === 'shell-via-scheduled-task-or-service');
  await hunt([path], { detectors: builtin, threads: 2 }, (a) => only.add(a.rule.id));
  assert.deepEqual([...only], ['shell-via-scheduled-task-or-service']);
});
