// Correlation rules behave as the correlation specification says (events written to prove it).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RawRecord } from '../../src/core/index.js';
import { createEngine } from '../../src/detect/sigma/index.js';
import type { SigmaMatch } from '../../src/detect/sigma/types.js';
import { loadText } from './helpers/rule.js';

function sec(eventId: number, t: number, data: Record<string, unknown>): RawRecord {
  return { format: 'evtx-json', ref: { file: 't', record: t, channel: 'Security', eventId }, system: { channel: 'Security', eventId, computer: 'dc1', timeMs: t * 1000 }, data };
}

const BASE = `title: Single failed login
id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
name: failed_login
logsource: { product: windows, service: security }
detection:
    selection:
        EventID: [529, 4625]
    condition: selection
---
title: Successful login
id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
name: successful_login
logsource: { product: windows, service: security }
detection:
    selection:
        EventID: [528, 4624]
    condition: selection
`;

function run(corr: string, recs: RawRecord[]): SigmaMatch[] {
  const { rules, listing } = loadText(`${corr}\n---\n${BASE}`);
  assert.ok(listing.every((l) => l.loaded), JSON.stringify(listing.filter((l) => !l.loaded)));
  const e = createEngine(rules);
  return [...recs.flatMap((r) => e.match(r)), ...e.flush()];
}

const corr = (type: string, body: string): string => `title: C ${type}\nid: c-${type}\ncorrelation:\n    type: ${type}\n${body}`;

describe('correlations', () => {
  it('event_count: fires at the threshold per group, hides the referenced rule', () => {
    const c = corr('event_count', '    rules: [failed_login]\n    group-by: [User]\n    timespan: 10m\n    condition: { gte: 3 }\n');
    const m = run(c, [sec(4625, 0, { User: 'a' }), sec(4625, 10, { User: 'b' }), sec(4625, 20, { User: 'a' }), sec(4625, 30, { User: 'a' })]);
    assert.deepEqual(m.map((x) => [x.rule.id, x.group?.User, x.count]), [['c-event_count', 'a', 3]]);
  });
  it('event_count: events outside the timespan do not count', () => {
    const c = corr('event_count', '    rules: [failed_login]\n    group-by: [User]\n    timespan: 1m\n    condition: { gte: 3 }\n');
    assert.equal(run(c, [sec(4625, 0, { User: 'a' }), sec(4625, 50, { User: 'a' }), sec(4625, 100, { User: 'a' })]).length, 0);
  });
  it('value_count: distinct values of the field', () => {
    const c = corr('value_count', '    rules: [failed_login]\n    group-by: [IpAddress]\n    timespan: 5m\n    condition: { field: TargetUserName, gt: 2 }\n');
    const ev = (t: number, u: string): RawRecord => sec(4625, t, { IpAddress: '1.2.3.4', TargetUserName: u });
    assert.equal(run(c, [ev(0, 'a'), ev(1, 'a'), ev(2, 'b')]).length, 0);
    assert.equal(run(c, [ev(0, 'a'), ev(1, 'b'), ev(2, 'c')]).length, 1);
  });
  it('temporal: all rules within the timespan, any order', () => {
    const c = corr('temporal', '    rules: [failed_login, successful_login]\n    group-by: [User]\n    timespan: 1m\n');
    assert.equal(run(c, [sec(4624, 0, { User: 'a' }), sec(4625, 10, { User: 'a' })]).length, 1);
    assert.equal(run(c, [sec(4624, 0, { User: 'a' }), sec(4625, 10, { User: 'b' })]).length, 0);
  });
  it('temporal_ordered: the order matters; chained correlation (spec example)', () => {
    const spec = `title: Correlation - Multiple Failed Logins Followed by Successful Login
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
level: high
correlation:
    type: temporal_ordered
    rules: [multiple_failed_login, successful_login]
    group-by: [User]
    timespan: 10m
---
title: Multiple failed logons
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
name: multiple_failed_login
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [User]
    timespan: 10m
    condition: { gte: 10 }`;
    const fails = Array.from({ length: 10 }, (_, i) => sec(4625, i, { User: 'bob' }));
    const good = run(spec, [...fails, sec(4624, 20, { User: 'bob' })]);
    assert.deepEqual(good.map((m) => m.rule.id), ['b180ead8-d58f-40b2-ae54-c8940995b9b6']);
    assert.equal(good[0].rule.level, 'high');
    assert.equal(run(spec, [sec(4624, 0, { User: 'bob' }), ...fails.map((r) => ({ ...r, system: { ...r.system, timeMs: (r.system.timeMs ?? 0) + 5000 } }))]).length, 0);
    assert.equal(run(spec, [...fails.slice(1), sec(4624, 20, { User: 'bob' })]).length, 0);
  });
  it('value_sum, value_avg, value_percentile', () => {
    const ev = (t: number, n: number): RawRecord => sec(4625, t, { User: 'a', Bytes: n, Image: t < 3 ? 'x' : 'y' });
    assert.equal(run(corr('value_sum', '    rules: [failed_login]\n    group-by: [User]\n    timespan: 1h\n    condition: { field: Bytes, gt: 100 }\n'), [ev(0, 60), ev(1, 50)]).length, 1);
    assert.equal(run(corr('value_avg', '    rules: [failed_login]\n    group-by: [User]\n    timespan: 1h\n    condition: { field: Bytes, gt: 100 }\n'), [ev(0, 60), ev(1, 50)]).length, 0);
    const p = run(corr('value_percentile', '    rules: [failed_login]\n    group-by: [User]\n    timespan: 1h\n    condition: { field: Image, lte: 25 }\n'), [ev(0, 1), ev(1, 1), ev(2, 1), ev(3, 1)]);
    assert.equal(p.length, 1);
  });
  it('lt conditions are decided at flush', () => {
    const c = corr('event_count', '    rules: [failed_login]\n    group-by: [User]\n    timespan: 1h\n    condition: { lt: 2 }\n');
    assert.equal(run(c, [sec(4625, 0, { User: 'a' }), sec(4625, 1, { User: 'b' }), sec(4625, 2, { User: 'b' })]).length, 1);
  });
  it('aliases map a group field per rule', () => {
    const c = corr('temporal', '    rules: [failed_login, successful_login]\n    group-by: [ip]\n    timespan: 1m\n    aliases:\n        ip:\n            failed_login: IpAddress\n            successful_login: SourceIp\n');
    assert.equal(run(c, [sec(4625, 0, { IpAddress: '10.0.0.1' }), sec(4624, 1, { SourceIp: '10.0.0.1' })]).length, 1);
    assert.equal(run(c, [sec(4625, 0, { IpAddress: '10.0.0.1' }), sec(4624, 1, { SourceIp: '10.0.0.2' })]).length, 0);
  });
  it('a correlation naming a missing rule is not loaded', () => {
    const { listing } = loadText(corr('event_count', '    rules: [nope]\n    group-by: [User]\n    timespan: 1h\n    condition: { gte: 1 }\n'));
    assert.match(listing[0].reason ?? '', /not loaded: nope/);
  });
  it('reset: a window opened before it does not count after it (a new, independent input follows)', () => {
    const c = corr('event_count', '    rules: [failed_login]\n    group-by: [User]\n    timespan: 10m\n    condition: { gte: 3 }\n');
    const { rules } = loadText(`${c}\n---\n${BASE}`);
    const e = createEngine(rules);
    const feed = (recs: RawRecord[]) => recs.flatMap((r) => e.match(r));
    assert.equal(feed([sec(4625, 0, { User: 'a' }), sec(4625, 10, { User: 'a' })]).length, 0);
    e.reset();
    assert.equal(feed([sec(4625, 20, { User: 'a' }), sec(4625, 30, { User: 'a' })]).length, 0, 'two after the reset');
    assert.equal(feed([sec(4625, 40, { User: 'a' })]).length, 1, 'the third after the reset');
  });
});
