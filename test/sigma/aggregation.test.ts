// Deprecated Sigma-v1/Hayabusa aggregation conditions (`sel | count() by X > 3`) are converted at load
// into the equivalent correlation over a hidden base rule: the conversion (each operator, with and
// without a field, with and without `by`, with and without a timeframe) and how the result behaves.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RawRecord } from '../../src/core/index.js';
import { WHOLE_INPUT_MS, parseAggregation } from '../../src/detect/sigma/compiler/aggregation.js';
import { createEngine } from '../../src/detect/sigma/index.js';
import type { CompiledCorrelation, CompiledRule, SigmaMatch } from '../../src/detect/sigma/types.js';
import { loadText } from './helpers/rule.js';

const ID = '6a1c2a1e-0000-4000-8000-000000000001';
function rule(condition: string, timeframe = '    timeframe: 5m\n', extra = ''): string {
  return `title: Many failures\nid: ${ID}\nlevel: high\nstatus: test\ntags: [attack.t1110.001]\nlogsource: { product: windows, service: security }\n` +
    `detection:\n    selection:\n        EventID: 4625\n    filter:\n        IpAddress: '-'\n    condition: ${condition}\n${timeframe}${extra}`;
}

function load(text: string) {
  const r = loadText(text);
  const corr = r.rules.find((x): x is CompiledCorrelation => x.kind === 'correlation' && x.id === ID);
  const base = r.rules.find((x): x is CompiledRule => x.kind === 'rule' && x.id === `${ID}:base`);
  return { ...r, corr, base };
}

let rid = 0;
function ev(sec: number, data: Record<string, unknown>, eventId = 4625): RawRecord {
  return { format: 'json-evtx', ref: { file: 't', record: ++rid, channel: 'Security', eventId }, system: { channel: 'Security', eventId, computer: 'dc1', timeMs: 1_700_000_000_000 + sec * 1000 }, data: { EventID: eventId, ...data } };
}
function run(text: string, recs: RawRecord[]): SigmaMatch[] {
  const { rules, listing } = load(text);
  assert.ok(listing.every((l) => l.loaded), JSON.stringify(listing));
  const e = createEngine(rules);
  return [...recs.flatMap((r) => e.match(r)), ...e.flush()];
}
const fails = (n: number, ip = '10.0.0.5', step = 10) => Array.from({ length: n }, (_, i) => ev(i * step, { IpAddress: ip, TargetUserName: `u${i}` }));

describe('aggregation conditions: parsing', () => {
  const ops: [string, string][] = [['>', 'gt'], ['>=', 'gte'], ['<', 'lt'], ['<=', 'lte'], ['==', 'eq'], ['=', 'eq']];
  for (const [sym, op] of ops) {
    it(`count() by IpAddress ${sym} 3 → ${op}`, () => {
      assert.deepEqual(parseAggregation(`count() by IpAddress ${sym} 3`), { fn: 'count', groupBy: ['IpAddress'], op, value: 3, text: `count() by IpAddress ${sym} 3` });
    });
  }
  it('count(field) keeps the field; no `by` means no group-by; spaces are optional', () => {
    assert.deepEqual(parseAggregation('count(TargetUserName)>=10'), { fn: 'count', field: 'TargetUserName', groupBy: [], op: 'gte', value: 10, text: 'count(TargetUserName)>=10' });
  });
  it('several group-by fields, dotted names', () => {
    assert.deepEqual(parseAggregation(' count( user.name ) by source.ip, host.name < 2 ').groupBy, ['source.ip', 'host.name']);
  });
  it('sum(field) and avg(field)', () => {
    assert.equal(parseAggregation('sum(Bytes) by User > 1000').fn, 'sum');
    assert.equal(parseAggregation('avg(Bytes) > 1.5').value, 1.5);
  });
  for (const [bad, re] of [
    ['max(Bytes) > 3', /no correlation equivalent/], ['near a and b', /near/], ['count() by > 3', /'by' needs field names/],
    ['count() by X', /needs a comparison/], ['count() > many', /needs a number|unexpected/], ['count() > 3 4', /unexpected '4'/],
    ['sum() > 3', /needs a field/], ['count(a b) > 3', /needs a field name and \)/], ['count() != 3', /unexpected character '!'/],
    ['frequency() > 3', /unknown aggregation/],
  ] as [string, RegExp][]) it(`rejects '${bad}'`, () => assert.throws(() => parseAggregation(bad), re));
});

describe('aggregation conditions: conversion at load', () => {
  it('count() by X >= 5 with a timeframe → event_count over a hidden base rule, listed as loaded with a note', () => {
    const { corr, base, listing, diagnostics } = load(rule('selection and not filter | count() by IpAddress >= 5'));
    assert.ok(corr && base);
    assert.deepEqual([corr.type, corr.rules, corr.groupBy, corr.timespanMs, corr.condition, corr.generate], ['event_count', [`${ID}:base`], ['IpAddress'], 300_000, { ops: { gte: 5 } }, false]);
    assert.deepEqual([corr.title, corr.level, corr.status, corr.techniques], ['Many failures', 'high', 'test', ['T1110.001']]);
    assert.deepEqual(base.condition, { t: 'and', items: [{ t: 'ref', name: 'selection' }, { t: 'not', item: { t: 'ref', name: 'filter' } }] });
    assert.equal(listing.length, 1);
    assert.equal(listing[0].loaded, true);
    assert.match(listing[0].reason ?? '', /correlation \(event_count\).*count\(\) by IpAddress >= 5.*within 5m/);
    const d = diagnostics.find((x) => x.code === 'SW4008');
    assert.ok(d);
    assert.equal(d.ruleId, ID);
    assert.deepEqual([d.location?.line, d.location?.column], [12, 5], 'located at detection.condition');
  });
  it('count(field) → value_count of that field; no `by` → no group-by', () => {
    const { corr } = load(rule('selection | count(TargetUserName) < 3'));
    assert.deepEqual([corr?.type, corr?.groupBy, corr?.condition], ['value_count', [], { field: 'TargetUserName', ops: { lt: 3 } }]);
  });
  it('without a timeframe the whole input is one window (documented), and the note says so', () => {
    const { corr, listing } = load(rule('selection | count() by IpAddress > 2', ''));
    assert.equal(corr?.timespanMs, WHOLE_INPUT_MS);
    assert.match(listing[0].reason ?? '', /whole input/);
    assert.equal(run(rule('selection | count() by IpAddress > 2', ''), fails(3, '10.0.0.5', 86_400)).length, 1, 'a day apart still counts');
  });
  it('a top-level timeframe is read too', () => {
    assert.equal(load(rule('selection | count() > 2', '', 'timeframe: 1h\n')).corr?.timespanMs, 3_600_000);
  });
  it('a bad timeframe or aggregation is a located SW4001 with the rule id', () => {
    const a = load(rule('selection | count() by IpAddress > 2', '    timeframe: soon\n'));
    assert.equal(a.listing[0].loaded, false);
    assert.match(a.listing[0].reason ?? '', /bad timeframe 'soon'/);
    assert.deepEqual([a.diagnostics[0].code, a.diagnostics[0].ruleId, a.diagnostics[0].location?.line], ['SW4001', ID, 13]);
    const b = load(rule('selection | max(Bytes) > 2'));
    assert.match(b.listing[0].reason ?? '', /max\(\)/);
    assert.equal(b.diagnostics[0].location?.line, 12);
  });
  it('an aggregation in a list of conditions is rejected', () => {
    assert.match(load(rule('\n        - selection | count() > 2\n        - filter')).listing[0].reason ?? '', /only condition/);
  });
  it('a filter naming the rule also applies to its base rule', () => {
    const filter = `---\ntitle: not the scanner\nid: 6a1c2a1e-0000-4000-8000-0000000000ff\nlogsource: { product: windows, service: security }\nfilter:\n    rules: [${ID}]\n    sel:\n        IpAddress: '10.0.0.5'\n    condition: sel\n`;
    const text = rule('selection | count() by IpAddress > 2') + filter;
    assert.equal(run(text, fails(3, '10.0.0.5')).length, 0);
    assert.equal(run(text, fails(3, '10.0.0.6')).length, 1);
  });
});

describe('aggregation conditions: behaviour', () => {
  const ids = (m: SigmaMatch[]) => m.map((x) => [x.rule.id, x.rule.title, x.rule.kind]);
  it('> N fires on the N+1th event of a group within the timeframe, with the rule id and title; the base rule is not reported', () => {
    const text = rule('selection and not filter | count() by IpAddress > 3');
    assert.deepEqual(ids(run(text, fails(4))), [[ID, 'Many failures', 'correlation']]);
    assert.equal(run(text, fails(3)).length, 0, 'N events');
    assert.equal(run(text, fails(4, '10.0.0.5', 120)).length, 0, 'first and last more than 5m apart');
    assert.equal(run(text, fails(4, '-')).length, 0, 'filtered');
    assert.equal(run(text, [...fails(2, '10.0.0.5'), ...fails(2, '10.0.0.6')]).length, 0, 'two groups');
    assert.deepEqual(run(text, fails(4))[0].group, { IpAddress: '10.0.0.5' });
  });
  it('>= N and == N fire at N', () => {
    assert.equal(run(rule('selection | count() by IpAddress >= 3'), fails(3)).length, 1);
    assert.equal(run(rule('selection | count() by IpAddress >= 3'), fails(2)).length, 0);
    assert.equal(run(rule('selection | count() by IpAddress == 3'), fails(3)).length, 1);
  });
  it('< N and <= N are decided at the end of input', () => {
    assert.equal(run(rule('selection | count() by IpAddress < 3'), fails(2)).length, 1);
    assert.equal(run(rule('selection | count() by IpAddress < 3'), fails(3)).length, 0);
    assert.equal(run(rule('selection | count() by IpAddress <= 3'), fails(3)).length, 1);
  });
  it('without `by` every event counts in one group', () => {
    assert.equal(run(rule('selection | count() > 3'), [...fails(2, '10.0.0.5'), ...fails(2, '10.0.0.6')]).length, 1);
  });
  it('count(field) counts distinct values', () => {
    const same = Array.from({ length: 10 }, (_, i) => ev(i, { IpAddress: '10.0.0.5', TargetUserName: `u${i % 3}` }));
    assert.equal(run(rule('selection | count(TargetUserName) by IpAddress > 3'), same).length, 0, '3 distinct users');
    assert.equal(run(rule('selection | count(TargetUserName) by IpAddress > 3'), fails(4)).length, 1, '4 distinct users');
  });
});
