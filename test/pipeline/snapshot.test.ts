// Pipeline snapshot and restore: a pipeline stopped half-way through the corpus, its state serialised
// with node:v8 and restored into a pipeline over a freshly loaded setup (as after a restart), goes on
// to raise exactly the alerts, in the same order, that one uninterrupted pipeline raises. The reorder
// window is hunt's 10 s, so events are held across the cut; lineage, sessions, connection joins,
// script blocks, flow scoring and Sigma state all cross it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import type { Alert, RawRecord } from '../../src/core/index.js';
import { recordBatches } from '../../src/pipeline/replay.js';
import { prepareHunt } from '../../src/pipeline/setup.js';
import { StreamPipeline, type StreamOptions } from '../../src/pipeline/stream.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';

const OPTS: StreamOptions = { detectors: 'builtin', reorderWindowMs: 10_000, alertIds: true };

async function records(): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for (const p of ['evtx-attack-samples', 'zat-zeek-samples', 'laurel-testdata']) {
    for await (const b of recordBatches([corpusPath(p)])) out.push(...b.records);
  }
  return out;
}

const rules = () => ({ rules: { paths: [corpusPath('sigma', 'rules', 'windows', 'process_creation')] } });

function feed(p: StreamPipeline, recs: RawRecord[]): void {
  recs.forEach((r, i) => {
    p.push(structuredClone(r));
    if (i % 100 === 99) p.release();
  });
  p.release();
}

async function run(recs: RawRecord[], cuts: number[], withRules: boolean): Promise<{ alerts: string[]; bytes: number[]; summary: unknown }> {
  const setup = () => prepareHunt(withRules ? rules() : {});
  const alerts: string[] = [];
  const sink = { alert: (x: Alert) => alerts.push(JSON.stringify(x)), diagnostic: () => {} };
  const sizes: number[] = [];
  let p = new StreamPipeline(await setup(), OPTS, sink);
  let at = 0;
  for (const cut of cuts) {
    feed(p, recs.slice(at, cut));
    at = cut;
    const bytes = serialize(p.snapshot());
    sizes.push(bytes.length);
    p = new StreamPipeline(await setup(), OPTS, sink);
    p.restore(deserialize(bytes));
  }
  feed(p, recs.slice(at));
  p.flush();
  return { alerts, bytes: sizes, summary: { ...p.summary, suppressions: null } };
}

test('a pipeline restored from a snapshot goes on exactly as the uninterrupted one (cut five times)', { skip: !hasCorpus && 'corpus not found', timeout: 300_000 }, async () => {
  const recs = await records();
  const whole = await run(recs, [], false);
  const cuts = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => Math.floor(recs.length * f));
  const cut = await run(recs, cuts, false);
  assert.ok(whole.alerts.length > 20, `the input raises alerts (${whole.alerts.length})`);
  assert.ok(cut.bytes.every((b) => b > 10_000), `state crossed every cut (${cut.bytes.join(', ')} bytes)`);
  assert.deepEqual(cut.alerts, whole.alerts);
  assert.deepEqual(cut.summary, whole.summary);
});

test('with Sigma rules too: the same alerts across a cut', { skip: !hasCorpus && 'corpus not found', timeout: 300_000 }, async () => {
  const recs = await records();
  const whole = await run(recs, [], true);
  const cut = await run(recs, [Math.floor(recs.length * 0.55)], true);
  assert.ok(whole.alerts.some((a) => a.includes('"source":"sigma"')));
  assert.deepEqual(cut.alerts, whole.alerts);
});

test('a snapshot of another version is refused', async () => {
  const p = new StreamPipeline(await prepareHunt({}), OPTS, { alert: () => {}, diagnostic: () => {} });
  assert.throws(() => p.restore({ version: 99 }), /not a pipeline snapshot/);
});
