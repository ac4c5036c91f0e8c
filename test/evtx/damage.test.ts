// Bad input: damaged copies of a corpus file, made in memory (or os.tmpdir()) at test time. Every
// case checks the diagnostics and that every record outside the damage is still read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { ReadResult } from '../../src/ingest/source.js';
import { evtxSource, parseEvtxBuffer, readEvtxStream } from '../../src/ingest/evtx/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';

const FILE = corpusPath('evtx-attack-samples', 'Command and Control', 'bits_openvpn.evtx');
const skip = !hasCorpus && 'corpus not present';
const CH = 0x10000;
const chunkAt = (i: number): number => 0x1000 + i * CH;

interface Parsed { ids: number[]; codes: string[]; diags: ReadResult[]; byChunk: Map<number, number[]> }

function parse(buf: Buffer): Parsed {
  const p: Parsed = { ids: [], codes: [], diags: [], byChunk: new Map() };
  for (const b of parseEvtxBuffer(buf, 'f.evtx')) {
    for (const r of b) {
      if (r.record) {
        p.ids.push(r.record.system.recordId as number);
        const c = Math.floor(((r.record.ref.offset as number) - 0x1000) / CH);
        p.byChunk.set(c, [...(p.byChunk.get(c) ?? []), r.record.system.recordId as number]);
      } else {
        p.codes.push(r.diagnostic.code);
        p.diags.push(r);
      }
    }
  }
  return p;
}

const original = (): Buffer => Buffer.from(readFileSync(FILE));
const base = hasCorpus ? parse(original()) : ({ ids: [], codes: [], diags: [], byChunk: new Map() } as Parsed);
const count = (p: Parsed, code: string): number => p.codes.filter((c) => c === code).length;

test('the undamaged file reads cleanly', { skip }, () => {
  assert.equal(base.ids.length, 1537);
  assert.deepEqual(base.codes, []);
});

test('wrong file magic: SW1101, every record still read', { skip }, () => {
  const b = original();
  b.write('XlfFile', 0, 'latin1');
  const p = parse(b);
  assert.deepEqual(p.codes, ['SW1101']);
  assert.deepEqual(p.ids, base.ids);
});

test('dirty flag: SW1104 warning, every record read', { skip }, () => {
  const b = original();
  b.writeUInt32LE(b.readUInt32LE(120) | 1, 120);
  b.writeUInt32LE(crc32(b.subarray(0, 120)), 124);
  const p = parse(b);
  assert.deepEqual(p.codes, ['SW1104']);
  assert.deepEqual(p.ids, base.ids);
});

test('bad chunk header checksum: SW1102, the chunk is carved record by record (SW1105 each)', { skip }, () => {
  const b = original();
  b[chunkAt(3) + 60] ^= 0xff;
  const p = parse(b);
  assert.deepEqual(p.ids, base.ids);
  assert.equal(count(p, 'SW1102'), 1);
  assert.equal(count(p, 'SW1105'), base.byChunk.get(3)?.length);
  const d = p.diags.find((x) => x.diagnostic?.code === 'SW1102')?.diagnostic;
  assert.deepEqual(d?.location, { file: 'f.evtx', chunk: 3, offset: chunkAt(3) });
});

test('a damaged record: SW1103 (and SW1107 for the chunk checksum); the rest of its chunk is read', { skip }, () => {
  const b = original();
  const rec = chunkAt(5) + 512;
  const size = b.readUInt32LE(rec + 4);
  b.writeUInt32LE(0xdeadbeef, rec + size - 4); // size copy no longer matches
  const p = parse(b);
  assert.equal(count(p, 'SW1103'), 1);
  assert.equal(count(p, 'SW1107'), 1);
  const lost = (base.byChunk.get(5) ?? [])[0];
  assert.deepEqual(p.ids, base.ids.filter((id) => id !== lost));
});

test('a chunk of garbage: SW1102; every other chunk is read in full', { skip }, () => {
  const b = original();
  let x = 12345;
  for (let i = chunkAt(7); i < chunkAt(8); i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x >> 16;
  }
  const p = parse(b);
  assert.deepEqual(p.codes, ['SW1102']);
  assert.deepEqual(p.ids, base.ids.filter((id) => !(base.byChunk.get(7) ?? []).includes(id)));
});

test('zero padding after the last chunk is ignored', { skip }, () => {
  const p = parse(Buffer.concat([original(), Buffer.alloc(100000)]));
  assert.deepEqual(p.codes, []);
  assert.deepEqual(p.ids, base.ids);
});

test('a file cut inside a chunk: earlier chunks whole, whole records of the cut chunk carved', { skip }, () => {
  const b = original().subarray(0, chunkAt(10) + 30000);
  const p = parse(b);
  const before = base.ids.filter((id) => [...Array(10).keys()].some((c) => (base.byChunk.get(c) ?? []).includes(id)));
  assert.deepEqual(p.ids.slice(0, before.length), before);
  assert.ok(p.ids.length > before.length, 'some records of the cut chunk are carved');
  assert.equal(count(p, 'SW1102'), 1);
  assert.equal(count(p, 'SW1105'), p.ids.length - before.length);
});

test('a chunk swapped with another: both still read, in file order', { skip }, () => {
  const b = original();
  const c2 = Buffer.from(b.subarray(chunkAt(2), chunkAt(3)));
  b.copy(b, chunkAt(2), chunkAt(4), chunkAt(5));
  c2.copy(b, chunkAt(4));
  const p = parse(b);
  assert.deepEqual(p.codes, []);
  assert.deepEqual([...p.ids].sort((x, y) => x - y), [...base.ids].sort((x, y) => x - y));
});

test('streaming with odd piece sizes gives the same results as the in-memory parser', { skip }, async () => {
  const b = original();
  const pieces: Buffer[] = [];
  for (let i = 0; i < b.length; i += 7777) pieces.push(b.subarray(i, i + 7777));
  const streamed: ReadResult[] = [];
  for await (const batch of readEvtxStream(Readable.from(pieces), 'f.evtx')) streamed.push(...batch);
  const whole = [...parseEvtxBuffer(b, 'f.evtx')].flat();
  assert.deepEqual(streamed, whole);
});

test('evtxSource: sniff and read through the Source contract', { skip }, async () => {
  const b = original();
  assert.equal(evtxSource.id, 'evtx');
  assert.equal(evtxSource.sniff(b.subarray(0, 4096), 'x.bin'), 1);
  assert.equal(evtxSource.sniff(Buffer.from('{"a":1}'), 'x.json'), 0);
  let n = 0;
  for await (const batch of evtxSource.read({ name: 'in.evtx', path: FILE, size: b.length, open: () => createReadStream(FILE) })) {
    for (const r of batch) if (r.record) n++;
  }
  assert.equal(n, 1537);
});

test('a file too short for a header yields SW1101 and no throw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-evtx-'));
  try {
    const f = join(dir, 'short.evtx');
    writeFileSync(f, 'ElfFile\0abc');
    const out: ReadResult[] = [];
    for await (const batch of evtxSource.read({ name: f, open: () => createReadStream(f) })) out.push(...batch);
    assert.deepEqual(out.map((r) => r.diagnostic?.code), ['SW1101']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
