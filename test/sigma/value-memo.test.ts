// The field-value memo of the candidate index: exact answers whatever collides, bounded chains.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ValueMemo } from '../../src/detect/sigma/runtime/memo.js';

const ids = (...n: number[]): Int32Array => Int32Array.from(n);

describe('value memo', () => {
  it('answers only for the exact value stored', () => {
    const m = new ValueMemo();
    m.set('cmd.exe /c whoami', ids(1, 2));
    assert.deepEqual(m.get('cmd.exe /c whoami'), ids(1, 2));
    assert.equal(m.get('cmd.exe /c whoamI'), undefined);
    assert.equal(m.get(''), undefined);
    m.set('', ids(7));
    assert.deepEqual(m.get(''), ids(7));
  });

  it('values that sample alike (same length, same ends and middle) stay apart', () => {
    const m = new ValueMemo();
    // differ only in units the slot function does not sample: every one lands in one chain
    const vals = Array.from({ length: 6 }, (_, i) => `axx${String.fromCharCode(98 + i)}${'x'.repeat(38)}z`); // 43 units, unit 3 differs
    vals.forEach((v, i) => m.set(v, ids(i)));
    vals.forEach((v, i) => assert.deepEqual(m.get(v), ids(i), v));
  });

  it('a full chain replaces its first entry and still answers exactly', () => {
    const m = new ValueMemo();
    const base = 'p'.repeat(64);
    // 20 values colliding on every sampled unit: more than a chain holds
    const vals = Array.from({ length: 20 }, (_, i) => base.slice(0, 5) + String.fromCharCode(65 + i) + base.slice(6));
    for (const [i, v] of vals.entries()) if (m.get(v) === undefined) m.set(v, ids(i));
    let found = 0;
    for (const [i, v] of vals.entries()) {
      const got = m.get(v);
      if (got !== undefined) { found++; assert.deepEqual(got, ids(i)); }
    }
    assert.ok(found >= 1 && found <= 8, `found ${found}`);
    m.clear();
    assert.equal(m.size, 0);
    assert.equal(m.get(vals[0]), undefined);
  });

  it('random values: every stored value that was not evicted answers its own ids', () => {
    const m = new ValueMemo();
    let s = 42;
    const r = (): number => { s = (s * 1664525 + 1013904223) >>> 0; return s; };
    const vals = Array.from({ length: 3000 }, () => Array.from({ length: 1 + (r() % 40) }, () => String.fromCharCode(32 + (r() % 90))).join(''));
    const want = new Map<string, number>();
    for (const [i, v] of vals.entries()) if (m.get(v) === undefined) { m.set(v, ids(i)); want.set(v, i); }
    for (const [v, i] of want) { const got = m.get(v); if (got) assert.deepEqual(got, ids(i)); }
  });

  it('two generations: a value still in use outlives the bound, others are dropped after two', () => {
    const m = new ValueMemo(4, 1000);
    m.set('hot', ids(1));
    for (let i = 0; i < 40; i++) {
      m.set(`cold ${i}`, ids(100 + i));
      // the hot value is read between stores: it moves back into the current generation when aged
      assert.deepEqual(m.get('hot'), ids(1), `after ${i}`);
    }
    assert.equal(m.get('cold 0'), undefined);
    assert.deepEqual(m.get('cold 39'), ids(139));
    assert.ok(m.size <= 8, `${m.size} values`);
  });

  it('two generations: the code units bound ages the current generation too', () => {
    const m = new ValueMemo(1000, 10);
    m.set('aaaaaa', ids(1));
    m.set('bbbbbb', ids(2)); // 12 units: the first generation is aged before it
    m.set('cccccc', ids(3));
    assert.equal(m.get('aaaaaa'), undefined);
    assert.deepEqual(m.get('bbbbbb'), ids(2));
    assert.deepEqual(m.get('cccccc'), ids(3));
  });
});
