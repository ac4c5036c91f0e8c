import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startFollow } from '../../../src/ingest/follow/index.js';
import { MemoryPort, MemoryPositions, tempDir, waitFor } from './helpers.js';

const run = promisify(execFile);
const WRITER = new URL('./writer.ts', import.meta.url).pathname;
const json = (n: number, tag = '') => JSON.stringify({ n, tag }) + '\n';
const ns = (p: MemoryPort) => p.records.map((r) => r.data.n as number);
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

test('rotation by rename while a writer appends: every line exactly once, in order', { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const port = new MemoryPort();
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 20, batchMax: 100 });
  try {
    const args = { path: log, count: 6000, format: 'json', rotateEvery: 1500, maxChunk: 400, pauseEvery: 50, pauseMs: 3 };
    await run(process.execPath, ['--import', 'tsx', WRITER, JSON.stringify(args)], { timeout: 50_000 });
    await waitFor(() => port.records.length >= 6000, 'all 6000 lines', 20_000);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(ns(port), range(0, 6000));
    const gens = port.records.map((r) => r.data.gen as number);
    assert.deepEqual([...new Set(gens)], [0, 1, 2, 3], 'four files, read one after the other');
    assert.equal(f.status()[0].rotations, 3);
    assert.ok(port.records.every((r) => r.ref.line === 1 + ((r.data.n as number) % 1500)), 'line numbers restart with each file');
    assert.equal(port.diagnostics.filter((d) => d.code === 'SW6011').length, 3);
  } finally {
    await f.close();
    cleanup();
  }
});

test('copytruncate: the file shrinks below the offset read; reading starts again at 0 with SW6011', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0) + json(1) + json(2));
  const port = new MemoryPort();
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 30 });
  try {
    await waitFor(() => port.records.length === 3, 'the first lines');
    truncateSync(log, 0);
    await waitFor(() => f.status()[0].truncations === 1, 'the truncation noticed');
    appendFileSync(log, json(3));
    await waitFor(() => port.records.length === 4, 'the line after the truncation');
    assert.equal(port.records[3].ref.offset, 0);
    assert.equal(port.records[3].ref.line, 1);
    assert.ok(port.codes().includes('SW6011'));
  } finally {
    await f.close();
    cleanup();
  }
});

test('truncated and rewritten past the offset between two polls: noticed by the first bytes', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0, 'old'));
  const port = new MemoryPort();
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 300 });
  try {
    await waitFor(() => port.records.length === 1, 'the first line');
    await waitFor(() => f.status()[0].state === 'following' && f.status()[0].offset > 0, 'committed');
    writeFileSync(log, json(1, 'new') + json(2, 'new'));
    await waitFor(() => port.records.length === 3, 'the rewritten file read from its start', 3000);
    assert.deepEqual(ns(port), [0, 1, 2]);
  } finally {
    await f.close();
    cleanup();
  }
});

test('a file deleted while open is drained, then followed again when it reappears', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0));
  const port = new MemoryPort();
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 30 });
  try {
    await waitFor(() => port.records.length === 1, 'the first line');
    appendFileSync(log, json(1));
    unlinkSync(log);
    await waitFor(() => port.records.length === 2, 'the line appended just before the unlink');
    await waitFor(() => f.status()[0].state === 'draining', 'draining the deleted file');
    writeFileSync(log, json(2));
    await waitFor(() => port.records.length === 3, 'the recreated file');
    assert.deepEqual(ns(port), [0, 1, 2]);
    assert.equal(port.records[2].ref.offset, 0);
  } finally {
    await f.close();
    cleanup();
  }
});

test('restart: a new follower with the same positions re-reads nothing and skips nothing', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0) + json(1));
  const positions = new MemoryPositions();
  const port1 = new MemoryPort();
  const f1 = await startFollow([log], port1, positions, { pollMs: 30 });
  await waitFor(() => port1.records.length === 2, 'first run');
  appendFileSync(log, '{"n":2,"tag":"par');
  await new Promise((r) => setTimeout(r, 100));
  await f1.close();
  appendFileSync(log, 'tial"}\n' + json(3));
  const port2 = new MemoryPort();
  const f2 = await startFollow([log], port2, positions, { pollMs: 30 });
  try {
    await waitFor(() => port2.records.length === 2, 'second run');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(ns(port2), [2, 3]);
    assert.deepEqual(port2.records.map((r) => r.ref.line), [3, 4]);
    assert.equal(port2.codes().length, 0);
  } finally {
    await f2.close();
    cleanup();
  }
});

test('restart after a rotation while stopped: the rest of the old file (found by inode) first, then the new one', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0));
  const positions = new MemoryPositions();
  const port1 = new MemoryPort();
  const f1 = await startFollow([log], port1, positions, { pollMs: 30 });
  await waitFor(() => port1.records.length === 1, 'first run');
  await f1.close();
  appendFileSync(log, json(1));
  renameSync(log, `${log}.1`);
  writeFileSync(log, json(2));
  const port2 = new MemoryPort();
  const f2 = await startFollow([log], port2, positions, { pollMs: 30 });
  try {
    await waitFor(() => port2.records.length === 2, 'second run');
    assert.deepEqual(ns(port2), [1, 2]);
    assert.equal(port2.codes().filter((c) => c === 'SW6011').length, 2);
    assert.match(port2.diagnostics[0].message, /rotated while stopped.*app\.log\.1/);
  } finally {
    await f2.close();
    cleanup();
  }
});

test('restart after the file was replaced and its predecessor removed: the new file from its start', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0) + json(1));
  const positions = new MemoryPositions();
  const port1 = new MemoryPort();
  const f1 = await startFollow([log], port1, positions, { pollMs: 30 });
  await waitFor(() => port1.records.length === 2, 'first run');
  await f1.close();
  unlinkSync(log);
  writeFileSync(log, json(5, 'a much longer first line so the size differs') + json(6));
  const port2 = new MemoryPort();
  const f2 = await startFollow([log], port2, positions, { pollMs: 30 });
  try {
    await waitFor(() => port2.records.length === 2, 'second run');
    assert.deepEqual(ns(port2), [5, 6]);
    assert.deepEqual(port2.codes(), ['SW6011']);
  } finally {
    await f2.close();
    cleanup();
  }
});
