// The candidate index's structures against naive string search: Aho-Corasick (dense and sparse
// states, non-ASCII units) and the anchored tries, on random patterns and texts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AhoCorasick } from '../../src/detect/sigma/runtime/aho.js';
import { AnchoredTrie } from '../../src/detect/sigma/runtime/anchored.js';
import { LitKind } from '../../src/detect/sigma/runtime/require.js';
import { FieldScan, type GroupLit } from '../../src/detect/sigma/runtime/scan.js';
import type { View } from '../../src/detect/sigma/runtime/pipeline.js';
import { SkipSearch, skippable } from '../../src/detect/sigma/runtime/skip.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}
const ALPHABET = 'abc\\. –é';
const word = (r: () => number, max: number): string => Array.from({ length: 1 + Math.floor(r() * max) }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join('');

describe('index structures', () => {
  it('Aho-Corasick reports exactly the naive occurrences', () => {
    const r = rng(7);
    for (let round = 0; round < 30; round++) {
      const pats = [...new Set(Array.from({ length: 1 + Math.floor(r() * 300) }, () => word(r, 6)))];
      const ac = new AhoCorasick(pats, round % 2 ? 1 << 18 : 8 * (1 + round));
      for (let t = 0; t < 20; t++) {
        const text = word(r, 60);
        const got: string[] = [];
        ac.scan(text, (id, end) => got.push(`${id}@${end}`));
        const want: string[] = [];
        pats.forEach((p, id) => { for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) want.push(`${id}@${i + p.length - 1}`); });
        assert.deepEqual(got.sort(), want.sort(), `patterns ${JSON.stringify(pats.slice(0, 5))}… text ${JSON.stringify(text)}`);
      }
    }
  });

  it('anchored tries find the prefixes and suffixes of a text', () => {
    const r = rng(11);
    for (let round = 0; round < 30; round++) {
      const pats = [...new Set(Array.from({ length: 1 + Math.floor(r() * 50) }, () => word(r, 4)))];
      const fwd = new AnchoredTrie(pats, false), bwd = new AnchoredTrie(pats, true);
      for (let t = 0; t < 20; t++) {
        const text = word(r, 8);
        const f: number[] = [], b: number[] = [];
        fwd.walk(text, (id, d) => { assert.equal(d, pats[id].length); f.push(id); });
        bwd.walk(text, (id) => b.push(id));
        assert.deepEqual(f.sort(), pats.flatMap((p, id) => (text.startsWith(p) ? [id] : [])).sort());
        assert.deepEqual(b.sort(), pats.flatMap((p, id) => (text.endsWith(p) ? [id] : [])).sort());
      }
    }
  });

  it('a field scan folds raw text itself and finds exactly what the naive search finds in toLowerCase()', () => {
    // mixed case, non-ASCII that folds to ASCII (Kelvin sign), that changes length (İ), final sigma
    const UNITS = 'aAbBcC.\\ \u212aKkİiΣσé';
    const r = rng(11);
    const pick = (max: number): string => Array.from({ length: 1 + Math.floor(r() * max) }, () => UNITS[Math.floor(r() * UNITS.length)]).join('');
    for (let round = 0; round < 40; round++) {
      const lits: GroupLit[] = [];
      const seen = new Set<string>();
      for (let k = 0; k < 1 + Math.floor(r() * 40); k++) {
        const kind = Math.floor(r() * 4) as LitKind, text = pick(4).toLowerCase(), key = `${kind}:${text}`;
        if (!seen.has(key)) { seen.add(key); lits.push({ kind, text, id: lits.length }); }
      }
      const scan = new FieldScan({ id: 0 } as View, 0, lits, false, false);
      for (let t = 0; t < 40; t++) {
        const raw = pick(12), low = raw.toLowerCase();
        const want = lits.filter((l) => (l.kind === LitKind.Contains ? low.includes(l.text) : l.kind === LitKind.Starts ? low.startsWith(l.text) : l.kind === LitKind.Ends ? low.endsWith(l.text) : low === l.text)).map((l) => l.id).sort((a, b) => a - b);
        const got = new Set<number>();
        scan.scan(raw, { hit: (id) => got.add(id) });
        assert.deepEqual([...got].sort((a, b) => a - b), want, `${JSON.stringify(raw)} vs ${JSON.stringify(lits)}`);
      }
    }
  });

  it('the skip search (few long literals) finds exactly what the naive search finds in toLowerCase()', () => {
    // ASCII literals only; texts mix case, the Kelvin sign (lowers to "k"), İ (lowers to "i" + U+0307), other non-ASCII
    const LIT = 'abki.\\ ', UNITS = 'aAbBkKiI.\\ \u212aİé';
    const r = rng(23);
    const pick = (units: string, min: number, max: number): string => Array.from({ length: min + Math.floor(r() * (max - min + 1)) }, () => units[Math.floor(r() * units.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const lits = [...new Set(Array.from({ length: 1 + Math.floor(r() * 6) }, () => pick(LIT, 4, 7)))];
      assert.ok(skippable(lits));
      const skip = new SkipSearch(lits);
      const ids = Int32Array.from(lits, (_, i) => i);
      const scan = new FieldScan({ id: 0 } as View, 0, lits.map((text, id) => ({ kind: LitKind.Contains, text, id })), false, false);
      for (let t = 0; t < 40; t++) {
        const raw = pick(UNITS, 0, 40), low = raw.toLowerCase();
        const want = lits.flatMap((l, i) => (low.includes(l) ? [i] : []));
        const got = new Set<number>(), viaScan = new Set<number>();
        skip.search(raw, { hit: (id) => got.add(id) }, ids);
        scan.scan(raw, { hit: (id) => viaScan.add(id) });
        assert.deepEqual([...got].sort((a, b) => a - b), want, `${JSON.stringify(raw)} vs ${JSON.stringify(lits)}`);
        assert.deepEqual([...viaScan].sort((a, b) => a - b), want);
      }
    }
    assert.equal(skippable(['abc']), false, 'too short');
    assert.equal(skippable(['abcé']), false, 'not ASCII');
  });
});
