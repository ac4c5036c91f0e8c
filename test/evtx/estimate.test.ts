import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { estimateEvtxRecords, HEADER_SIZE, parseEvtxBuffer } from '../../src/ingest/evtx/index.js';
import { corpusEvtxFiles } from './differential.js';

test('records estimated from the headers match the records read on cleanly written corpus files', () => {
  let exact = 0;
  let total = 0;
  const files = corpusEvtxFiles();
  for (const f of files) {
    const buf = readFileSync(f);
    const est = estimateEvtxRecords(buf.subarray(0, HEADER_SIZE + 32));
    assert.ok(est !== undefined && est >= 0, f);
    let n = 0;
    for (const batch of parseEvtxBuffer(buf, f)) for (const r of batch) if (r.record) n++;
    if (est === n) exact++;
    total += n;
  }
  assert.ok(exact >= files.length * 0.9, `${exact} of ${files.length} exact`);
  assert.ok(total > 7000);
});

test('not an EVTX file: no estimate', () => {
  assert.equal(estimateEvtxRecords(Buffer.from('{"a":1}\n')), undefined);
  assert.equal(estimateEvtxRecords(Buffer.alloc(HEADER_SIZE + 32)), undefined);
});
