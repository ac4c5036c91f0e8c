import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RawRecord } from '../../../src/core/index.js';
import { contentKey, tempDir, waitFor } from './helpers.js';

const HERE = new URL('.', import.meta.url).pathname;
const EVENTS = 4500; // 4 or 5 lines each: 20,250 auditd lines

function start(script: string, args: string[]): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

function stored(file: string): RawRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).flatMap((l) => {
    try { return [JSON.parse(l) as RawRecord]; } catch { return []; } // a line cut by the kill: never acknowledged
  });
}

test('kill -9 mid-stream, restart, finish: every event stored, exactly once after dedup by content', { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir();
  const log = join(dir, 'audit.log');
  const pos = join(dir, 'positions.json');
  const out = join(dir, 'records.ndjson');
  writeFileSync(log, '');
  const children: ChildProcess[] = [];
  try {
    const writer = start('writer.ts', [JSON.stringify({ path: log, count: EVENTS, format: 'auditd', maxChunk: 700, pauseEvery: 20, pauseMs: 4 })]);
    children.push(writer.child);
    const first = start('child.ts', [log, pos, out]);
    children.push(first.child);
    await waitFor(() => stored(out).length >= 800, 'the first follower to store some events', 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const cut = stored(out).length;
    const writerDoneEarly = writer.child.exitCode !== null;
    assert.ok(cut < EVENTS, `killed mid-way (${cut} stored)`);
    const second = start('child.ts', [log, pos, out]);
    children.push(second.child);
    await writer.exited;
    const distinct = () => new Set(stored(out).map(contentKey)).size;
    await waitFor(() => distinct() >= EVENTS, `all ${EVENTS} events (have ${distinct()})`, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.out());
    const recs = stored(out);
    const byKey = new Map(recs.map((r) => [contentKey(r), r]));
    if (byKey.size !== EVENTS) {
      const seen = new Map<unknown, RawRecord>();
      for (const r of byKey.values()) {
        const o = seen.get(r.system.recordId);
        if (o) { t.diagnostic(JSON.stringify(o)); t.diagnostic(JSON.stringify(r)); break; }
        seen.set(r.system.recordId, r);
      }
    }
    assert.equal(byKey.size, EVENTS, 'exactly once after dedup');
    const serials = [...byKey.values()].map((r) => r.system.recordId).sort((a, b) => a! - b!);
    assert.deepEqual(serials, Array.from({ length: EVENTS }, (_, i) => i), 'none missing, none split');
    for (const r of byKey.values()) assert.equal((r.data.type as string[]).length, 4, `event ${r.system.recordId} whole`);
    t.diagnostic(`stored before the kill: ${cut}; records re-read after it: ${recs.length - EVENTS}; writer done before the restart: ${writerDoneEarly}`);
    assert.ok(recs.length - EVENTS < 1000, `few re-read after the kill (${recs.length - EVENTS})`);
    assert.doesNotMatch(second.out(), /SW1001|SW1012|SW1008/);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    cleanup();
  }
});
