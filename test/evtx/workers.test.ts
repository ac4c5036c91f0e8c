// Worker threads: a large file split over workers, and many files across workers, must give exactly
// the results (and order) of the single-threaded parser. The large file is built in os.tmpdir() from
// the chunks of corpus files (chunks are self-contained, so any concatenation is a valid log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadResult } from '../../src/ingest/source.js';
import { createEvtxSource, mapEvtxFiles, parseEvtxBuffer, readEvtxFiles, readEvtxParallel } from '../../src/ingest/evtx/index.js';
import { hasCorpus } from '../helpers/corpus.js';
import { corpusEvtxFiles } from './differential.js';

const skip = !hasCorpus && 'corpus not present';

/** A >8 MiB file of the non-empty chunks of the corpus, repeated until large enough. */
function bigFile(dir: string): string {
  const chunks: Buffer[] = [];
  for (const f of corpusEvtxFiles()) {
    const b = readFileSync(f);
    for (let o = 0x1000; o + 0x10000 <= b.length; o += 0x10000) {
      if (b.subarray(o, o + 8).toString('latin1') === 'ElfChnk\0') chunks.push(b.subarray(o, o + 0x10000));
    }
  }
  const header = readFileSync(corpusEvtxFiles()[0]).subarray(0, 0x1000);
  const body: Buffer[] = [];
  while (body.length * 0x10000 < 9 * 1024 * 1024) body.push(...chunks);
  const path = join(dir, 'big.evtx');
  writeFileSync(path, Buffer.concat([header, ...body]));
  return path;
}

const flat = async (it: AsyncIterable<ReadResult[]>): Promise<ReadResult[]> => {
  const out: ReadResult[] = [];
  for await (const b of it) out.push(...b);
  return out;
};

test('a large file over two workers equals the single-threaded parse, in order', { skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-evtx-'));
  try {
    const path = bigFile(dir);
    const expected = [...parseEvtxBuffer(readFileSync(path), 'big.evtx')].flat();
    const got = await flat(readEvtxParallel(path, 'big.evtx', { threads: 2 }));
    assert.equal(got.length, expected.length);
    assert.deepEqual(got, expected);
    const viaSource = await flat(createEvtxSource({ threads: 2 }).read({ name: 'big.evtx', path, size: statSync(path).size, open: () => createReadStream(path) }));
    assert.deepEqual(viaSource, expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('many files over two workers equal the single-threaded parse, in the given order', { skip, timeout: 120_000 }, async () => {
  const files = corpusEvtxFiles().slice(0, 40);
  const expected = files.flatMap((f) => [...parseEvtxBuffer(readFileSync(f), f)].flat());
  const got = await flat(readEvtxFiles(files, { threads: 2 }));
  assert.deepEqual(got, expected);
  const inline = await flat(readEvtxFiles(files, { threads: 0 }));
  assert.deepEqual(inline, expected);
});

test('a missing file becomes SW1001, not a throw', async () => {
  const got = await flat(readEvtxFiles(['/nonexistent/x.evtx'], { threads: 1 }));
  assert.deepEqual(got.map((r) => r.diagnostic?.code), ['SW1001']);
});

test('mapEvtxFiles reduces batches inside workers, in file order', { skip, timeout: 120_000 }, async () => {
  const files = corpusEvtxFiles().slice(0, 30);
  const url = new URL('../../bench/evtx-reducer.ts', import.meta.url);
  const sum = async (threads: number): Promise<number> => {
    let n = 0;
    for await (const r of mapEvtxFiles<Record<string, number>>(files, url, { threads })) for (const c of Object.values(r)) n += c;
    return n;
  };
  const expected = files.reduce((n, f) => n + [...parseEvtxBuffer(readFileSync(f), f)].flat().filter((r) => r.record).length, 0);
  assert.equal(await sum(2), expected);
  assert.equal(await sum(0), expected);
});
