// The loader's settling of compiled data (compiler/settle.ts): the same JSON as before, equal strings
// and the repeated small nodes shared across files, own `__proto__` keys kept as properties.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Settler } from '../../src/detect/sigma/compiler/settle.js';
import type { CompiledRule, FieldTest, Search } from '../../src/detect/sigma/types.js';
import { loadText } from './helpers/rule.js';

const glob = (s: string, cased = false) => ({ t: 'glob', parts: [{ w: '*' }, s, { w: '?' }], cased });
const parse = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('settle', () => {
  it('keeps the JSON value and shares wildcards, globs, refs, logsources and tag lists across calls', () => {
    const s = new Settler();
    const doc = (n: number) => ({ logsource: { product: 'windows', category: 'process_creation' }, tags: ['attack.t1059'], cond: { t: 'ref', name: 'selection' }, values: [glob('powershell'), glob('cmd', true), glob(`x${n}`)], extra: [undefined, 1] });
    const a = s.settle(parse(doc(1))) as ReturnType<typeof doc>, b = s.settle(parse(doc(2))) as ReturnType<typeof doc>;
    assert.equal(JSON.stringify(a), JSON.stringify(doc(1)));
    assert.equal(JSON.stringify(b), JSON.stringify(doc(2)));
    assert.equal(a.logsource, b.logsource);
    assert.equal(a.tags, b.tags);
    assert.equal(a.cond, b.cond);
    assert.equal(a.values[0], b.values[0]);
    assert.equal(a.values[1], b.values[1]);
    assert.notEqual(a.values[2], b.values[2]);
    assert.equal(a.values[2].parts[0], b.values[2].parts[0], 'one {w: *}');
    assert.notEqual(a.values[0], s.settle(parse(glob('powershell', true))), 'cased differs');
  });
  it('an own __proto__ key stays a property', () => {
    const v = new Settler().settle(JSON.parse('{"searches": {"__proto__": {"t": "ref", "name": "x"}, "a": 1}}')) as { searches: Record<string, unknown> };
    assert.ok(Object.prototype.hasOwnProperty.call(v.searches, '__proto__'));
    assert.equal(Object.getPrototypeOf(v.searches), Object.prototype);
    assert.equal(JSON.stringify(v), '{"searches":{"__proto__":{"t":"ref","name":"x"},"a":1}}');
  });
  it('rules of one load share their equal nodes', () => {
    const rule = (id: string, v: string) => `title: r${id}\nid: ${id}\nlogsource: { product: windows, category: process_creation }\ndetection:\n    selection:\n        Image|endswith: '\\\\powershell.exe'\n        CommandLine|contains: '${v}'\n    condition: selection\n`;
    const { rules } = loadText(`${rule('a', 'one')}---\n${rule('b', 'two')}`);
    const [a, b] = rules as CompiledRule[];
    const test = (r: CompiledRule, i: number) => ((r.searches.selection as Extract<Search, { t: 'and' }>).items[i] as { test: FieldTest }).test.values[0];
    assert.equal(test(a, 0), test(b, 0), 'the same endswith glob');
    assert.notEqual(test(a, 1), test(b, 1));
    assert.equal(a.logsource, b.logsource);
  });
});
