// Durability, for real: a server process takes a continuous stream from `shellwatch replay`, is killed
// with SIGKILL in the middle, restarted on the same data folder while the sender keeps retrying, and the
// stream finishes. Every acknowledged record must be stored exactly once, and the alert set must equal
// that of a clean run over the same input (replay after restart never duplicates, never loses).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { recordKey } from '../../src/core/index.js';
import { recordBatches } from '../../src/pipeline/replay.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { allAlertIds, replay, sleep, startServe, until } from '../helpers/serve.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-durable-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const inputs = () => [corpusPath('evtx-attack-samples', 'Execution'), corpusPath('evtx-attack-samples', 'Lateral Movement'), corpusPath('evtx-attack-samples', 'Persistence')];

async function distinctKeys(paths: string[]): Promise<number> {
  const keys = new Set<string>();
  for await (const b of recordBatches(paths)) for (const r of b.records) keys.add(recordKey(r.format, r.system, r.data));
  return keys.size;
}

function snapshotSeq(data: string): number {
  const db = new Database(join(data, 'shellwatch.db'), { readonly: true });
  try {
    return (db.prepare("SELECT seq FROM snapshots WHERE name = 'detect.pipeline'").pluck().get() as number | undefined) ?? 0;
  } finally {
    db.close();
  }
}

function storedEvents(data: string): { rows: number; keys: number } {
  const db = new Database(join(data, 'shellwatch.db'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='events'").all();
    assert.equal(tables.length, 1, 'the store has an events table');
    const r = db.prepare('SELECT count(*) AS n, count(DISTINCT key) AS k FROM events').get() as { n: number; k: number };
    return { rows: r.n, keys: r.k };
  } finally {
    db.close();
  }
}

/** Two restarts: state rebuilt by replaying the store, and state restored from a snapshot taken every 300 events. */
for (const [name, env] of [['replay', {}], ['snapshot', { SHELLWATCH_PIPELINE_SNAPSHOT_EVERY: '300' }]] as const) {
  crashTest(name, { ...process.env, ...env });
}

function crashTest(name: string, env: NodeJS.ProcessEnv): void {
test(`kill -9 mid-stream, restart (${name}), finish: every record once, the same alerts as a clean run`, { skip: !hasCorpus && 'corpus not found', timeout: 240_000 }, async () => {
  const paths = inputs();
  const expectedKeys = await distinctKeys(paths);

  // the clean run
  const clean = await startServe(join(dir, `clean-${name}`));
  const c = await replay(paths, clean, ['--batch', '100']).done;
  assert.equal(c.code, 0, c.stderr);
  await until('the clean run to settle', async () => (await clean.api<{ lagEvents: number }>('/api/v1/health')).lagEvents === 0);
  await sleep(200);
  const cleanIds = await allAlertIds(clean);
  await clean.stop();
  assert.ok(cleanIds.length > 10, `the input raises alerts (${cleanIds.length})`);

  // the crashed run: same port across the restart so the sender finds it again
  const data = join(dir, `crashed-${name}`);
  let s = await startServe(data, [], undefined, env);
  const sender = replay(paths, s, ['--batch', '100', '--rate', '3000', '--retry-for', '120']);
  await until('the stream to be half-way', async () => {
    const m = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.token}` } })).text();
    return Number(/^shellwatch_events_in_total (\d+)/m.exec(m)?.[1] ?? 0) >= expectedKeys / 3;
  }, 60_000, 20);
  await s.kill9();
  await sleep(300); // the sender meets a closed port and retries
  s = await startServe(data, [], s.port, env);
  const r = await sender.done;
  assert.equal(r.code, 0, `the sender finished after the restart: ${r.stderr}`);
  await until('the restarted server to settle', async () => (await s.api<{ lagEvents: number }>('/api/v1/health')).lagEvents === 0);
  await sleep(200);
  const ids = await allAlertIds(s);
  await s.stop();

  const stored = storedEvents(data);
  assert.equal(stored.rows, stored.keys, 'no record stored twice');
  assert.equal(stored.keys, expectedKeys, 'every record stored');
  assert.deepEqual(ids, cleanIds, 'the same alerts as the clean run, none twice');
  if (env.SHELLWATCH_PIPELINE_SNAPSHOT_EVERY) assert.ok(snapshotSeq(data) > 0, 'the detection state was snapshotted');
});
}
