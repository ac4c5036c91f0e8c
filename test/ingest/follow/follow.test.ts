import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFollow, decodePosition } from '../../../src/ingest/follow/index.js';
import { MemoryPort, MemoryPositions, tempDir, waitFor } from './helpers.js';

const LAUREL = '/work/shared/corpus/laurel-testdata/src/testdata/record-execve.txt';
const json = (n: number) => JSON.stringify({ n, msg: `hello ${n}` }) + '\n';

test('appends are picked up within a second, with provenance in the real file', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0) + json(1));
  const port = new MemoryPort();
  const positions = new MemoryPositions();
  const f = await startFollow([log], port, positions); // default pollMs (250)
  try {
    await waitFor(() => port.records.length === 2, 'the first two lines');
    appendFileSync(log, json(2));
    await waitFor(() => port.records.length === 3, 'the appended line');
    const r = port.records[2];
    assert.equal(r.data.n, 2);
    assert.equal(r.ref.line, 3);
    assert.equal(r.ref.record, 3);
    assert.equal(r.ref.offset, Buffer.byteLength(json(0) + json(1)));
    assert.equal(r.ref.stream, `follow:${log}`);
    assert.equal(port.deliveries[0].from.stream, `follow:${log}`);
    assert.ok(port.deliveries[0].from.sender);
    await waitFor(() => decodePosition(positions.map.get(log) ?? null)?.offset === readFileSync(log).length, 'position saved');
    assert.equal(f.status()[0].state, 'following');
    assert.equal(f.status()[0].reader, 'json');
  } finally {
    await f.close();
    cleanup();
  }
});

test('a partial last line is held until its newline arrives', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0) + '{"n":1,"msg":"hal');
  const port = new MemoryPort();
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 30 });
  try {
    await waitFor(() => port.records.length === 1, 'the complete line');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(port.records.length, 1, 'the partial line is not handed over');
    assert.equal(f.status()[0].held, Buffer.byteLength('{"n":1,"msg":"hal'));
    appendFileSync(log, 'f"}\n');
    await waitFor(() => port.records.length === 2, 'the completed line');
    assert.deepEqual(port.records[1].data, { n: 1, msg: 'half' });
    assert.equal(port.codes().length, 0);
  } finally {
    await f.close();
    cleanup();
  }
});

test('a path that does not exist yet is waited for', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'later.log');
  const port = new MemoryPort();
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 30 });
  try {
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(f.status()[0].state, 'waiting');
    writeFileSync(log, json(7));
    await waitFor(() => port.records.length === 1, 'the new file');
    assert.equal(port.records[0].data.n, 7);
  } finally {
    await f.close();
    cleanup();
  }
});

test('BusyError: the same batch is retried after retryAfterS, nothing skipped or doubled', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0) + json(1) + json(2));
  const port = new MemoryPort(3, 0.05);
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 30 });
  try {
    await waitFor(() => port.records.length === 3, 'the lines after three busy answers');
    assert.equal(port.calls, 4);
    assert.deepEqual(port.records.map((r) => r.data.n), [0, 1, 2]);
    assert.equal(f.status()[0].busyRetries, 3);
  } finally {
    await f.close();
    cleanup();
  }
});

test('close() while the port stays busy abandons the batch cleanly and saves nothing past it', { timeout: 15_000 }, async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0));
  const port = new MemoryPort(1_000_000, 30);
  const positions = new MemoryPositions();
  const f = await startFollow([log], port, positions, { pollMs: 30 });
  await waitFor(() => port.calls > 0, 'a first attempt');
  // retryAfterS is 30: a close() that waited it out would run past this test's timeout
  await f.close();
  assert.equal(decodePosition(positions.map.get(log) ?? null)?.offset ?? 0, 0);
  cleanup();
});

test('a line over the cap is skipped to its newline with SW1006; the lines around it are kept', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0) + '{"big":"' + 'x'.repeat(50_000) + '"}\n' + json(2));
  const port = new MemoryPort();
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 30, maxLineBytes: 10_000, readChunk: 4096 });
  try {
    await waitFor(() => port.records.length === 2, 'the two small lines');
    assert.deepEqual(port.records.map((r) => r.data.n), [0, 2]);
    assert.equal(port.records[1].ref.line, 3);
    assert.deepEqual(port.codes(), ['SW1006']);
    assert.equal(port.diagnostics[0].location?.line, 2);
  } finally {
    await f.close();
    cleanup();
  }
});

test('auditd: an event split across two appends arrives as one record (real laurel lines)', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'audit.log');
  const lines = readFileSync(LAUREL, 'utf8').split(/(?<=\n)/);
  writeFileSync(log, lines.slice(0, 3).join(''));
  const port = new MemoryPort();
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 100 });
  try {
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(port.records.length, 0, 'the event is held while it may still grow');
    appendFileSync(log, lines.slice(3).join(''));
    await waitFor(() => port.records.length === 1, 'one event');
    const rec = port.records[0];
    assert.equal(rec.format, 'auditd');
    assert.deepEqual(rec.data.type, ['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE']);
    assert.equal(rec.ref.line, 1);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(port.records.length, 1);
  } finally {
    await f.close();
    cleanup();
  }
});

test('auditd: an event with no EOE is handed over once the file is quiet', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'audit.log');
  const text = readFileSync(LAUREL, 'utf8').split(/(?<=\n)/).filter((l) => !l.includes('type=EOE')).join('');
  writeFileSync(log, text);
  const port = new MemoryPort();
  const f = await startFollow([log], port, new MemoryPositions(), { pollMs: 50 });
  try {
    await waitFor(() => port.records.length === 1, 'the quiet event', 2000);
    assert.equal((port.records[0].data.type as string[]).length, 5);
  } finally {
    await f.close();
    cleanup();
  }
});

test('a failing position store is retried, never taken for "no position" (which would re-read the file)', async () => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'app.log');
  writeFileSync(log, json(0) + json(1));
  const positions = new MemoryPositions();
  const p1 = new MemoryPort();
  const f1 = await startFollow([log], p1, positions, { pollMs: 30 });
  await waitFor(() => p1.records.length === 2, 'first run');
  await f1.close();
  appendFileSync(log, json(2));
  let failures = 2;
  const flaky = { get: async (n: string) => { if (failures-- > 0) throw new Error('store down'); return positions.get(n); }, set: positions.set.bind(positions) };
  const p2 = new MemoryPort();
  const f2 = await startFollow([log], p2, flaky, { pollMs: 30 });
  try {
    await waitFor(() => p2.records.length === 1, 'the appended line');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(p2.records.map((r) => r.data.n), [2]);
    assert.deepEqual(p2.codes(), ['SW1001']);
  } finally {
    await f2.close();
    cleanup();
  }
});
