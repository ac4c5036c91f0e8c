// `category: dns` (pipelines/dns.yaml): Sysmon 22, Zeek dns.log (TSV and JSON) and ECS DNS documents
// feed rules of the generic DNS logsource, with the taxonomy's names (query, answer, record_type) and
// the ECS ones mapped onto each source's fields; the overlay claims nothing from other pipelines.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RawRecord } from '../../src/core/index.js';
import { createEngine, loadPipelines, loadRules, routable } from '../../src/detect/sigma/index.js';
import { Router } from '../../src/detect/sigma/runtime/router.js';
import { toRawRecord } from '../../src/ingest/json/shapes.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { loadText } from './helpers/rule.js';

const rule = (detection: string, ls = '{ category: dns }') =>
  `title: dns test\nid: 7d1e0000-0000-4000-8000-000000000001\nlogsource: ${ls}\ndetection:\n${detection.replace(/^/gm, '    ')}\n`;
function fires(text: string, rec: RawRecord): boolean {
  const { rules, listing } = loadText(text);
  assert.ok(listing.every((l) => l.loaded), JSON.stringify(listing));
  return createEngine(rules).match(rec).length > 0;
}

const T = '2024-03-01T10:00:00Z';
const sysmon22 = (q: string, results = '::ffff:192.0.2.7;') => toRawRecord({ Event: { System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 22, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'ws1', TimeCreated: { '#attributes': { SystemTime: T } } }, EventData: { QueryName: q, QueryResults: results, Image: 'C:\\x.exe' } } }, 't.json', 1, 0);
const winlogbeat22 = (q: string) => toRawRecord({ '@timestamp': T, winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: 22, provider_name: 'Microsoft-Windows-Sysmon', event_data: { QueryName: q, QueryResults: 'type: 5 x.example;' } } }, 't.json', 1, 0);
const ecs = (q: string, type = 'A') => toRawRecord({ '@timestamp': T, event: { category: ['network'] }, network: { protocol: 'dns' }, source: { ip: '10.0.0.5' }, dns: { question: { name: q, type }, resolved_ip: ['192.0.2.7'] } }, 't.json', 1, 0);
const zeekJson = (q: string, type = 'A', answers = ['192.0.2.7']) => toRawRecord({ _path: 'dns', _write_ts: T, ts: 1709287200, uid: 'C1', id_orig_h: '10.0.0.6', id_orig_p: 5353, id_resp_h: '10.0.0.1', id_resp_p: 53, proto: 'udp', query: q, qtype_name: type, answers }, 'x.json', 1, 0);
const zeekTsv = (q: string, type = 'A', answers = ['192.0.2.7']): RawRecord => ({
  format: 'zeek', ref: { file: 'dns.log', record: 9, channel: 'dns', eventId: null, line: 9, offset: 0 }, system: { provider: 'Zeek', channel: 'dns', timeMs: 1709287200000 },
  data: { ts: 1709287200, uid: 'C1', 'id.orig_h': '10.0.0.6', 'id.orig_p': 5353, 'id.resp_h': '10.0.0.1', 'id.resp_p': 53, proto: 'udp', query: q, qtype_name: type, answers, _path: 'dns' },
});

describe('category: dns', () => {
  const sources: [string, (q: string) => RawRecord][] = [['Sysmon 22', sysmon22], ['Winlogbeat Sysmon 22', winlogbeat22], ['ECS', ecs], ['Zeek JSON', zeekJson], ['Zeek TSV', zeekTsv]];
  for (const [name, make] of sources) {
    it(`${name}: query (taxonomy) and dns.question.name (ECS) read the looked-up name`, () => {
      assert.equal(fires(rule("selection:\n    query|endswith: '.evil.example'\ncondition: selection"), make('c2.evil.example')), true);
      assert.equal(fires(rule("selection:\n    query|endswith: '.evil.example'\ncondition: selection"), make('www.good.example')), false);
      assert.equal(fires(rule("selection:\n    dns.question.name: 'c2.evil.example'\ncondition: selection"), make('c2.evil.example')), true);
    });
  }
  it('record_type and answer: Zeek and ECS carry the type; Sysmon has none (a rule naming it does not match)', () => {
    const txt = rule("selection:\n    record_type: 'TXT'\n    answer|contains: 'IEX'\ncondition: selection");
    assert.equal(fires(txt, zeekTsv('t.evil.example', 'TXT', ['IEX (New-Object Net.WebClient)'])), true);
    assert.equal(fires(txt, zeekJson('t.evil.example', 'TXT', ['IEX (New-Object Net.WebClient)'])), true);
    assert.equal(fires(txt, zeekTsv('t.evil.example', 'A')), false);
    assert.equal(fires(rule("selection:\n    record_type: 'AAAA'\ncondition: selection"), ecs('x.example', 'AAAA')), true);
    assert.equal(fires(rule("selection:\n    answer|contains: '192.0.2.7'\ncondition: selection"), sysmon22('x.example')), true);
    assert.equal(fires(rule("selection:\n    record_type: 'A'\ncondition: selection"), sysmon22('x.example')), false);
  });
  it('ECS answer: every dns.answers[].data, through the list (a CNAME name or an address)', () => {
    const rec = toRawRecord({ '@timestamp': T, event: { category: ['network'] }, network: { protocol: 'dns' }, dns: { question: { name: 'x.example', type: 'A' }, answers: [{ data: 'cdn.evil.example', type: 'CNAME' }, { data: '192.0.2.9', type: 'A' }], resolved_ip: ['192.0.2.9'] } }, 't.json', 1, 0);
    assert.equal(fires(rule("selection:\n    answer|endswith: '.evil.example'\ncondition: selection"), rec), true);
    assert.equal(fires(rule("selection:\n    answer: '192.0.2.9'\ncondition: selection"), rec), true);
    assert.equal(fires(rule("selection:\n    dns.answers.type: 'CNAME'\ncondition: selection"), rec), true);
    assert.equal(fires(rule("selection:\n    answer: '192.0.2.10'\ncondition: selection"), rec), false);
    assert.equal(fires(rule("selection:\n    dns.resolved_ip: '192.0.2.9'\ncondition: selection"), rec), true);
  });
  it('ECS names on Zeek JSON that writes id_orig_h (the zeek format definition reads both spellings)', () => {
    assert.equal(fires(rule("selection:\n    source.ip: '10.0.0.6'\ncondition: selection"), zeekJson('x.example')), true);
    assert.equal(fires(rule("selection:\n    id.orig_h: '10.0.0.6'\ncondition: selection", '{ product: zeek, service: dns }'), zeekJson('x.example')), true);
  });
  it('other records do not feed it; the overlay claims no channel or format (Winlogbeat System still feeds product: windows)', () => {
    const p = loadPipelines();
    const r = new Router(p);
    const views = (rec: RawRecord) => r.route(rec).views.map((v) => JSON.stringify(v.logsource));
    const sysmon1 = toRawRecord({ Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational' }, EventData: { Image: 'C:\\x.exe' } } }, 't.json', 1, 0);
    const conn = toRawRecord({ _path: 'conn', _write_ts: T, ts: 1, uid: 'C1', id_orig_h: '10.0.0.6' }, 'x.json', 1, 0);
    const ecsProcess = toRawRecord({ '@timestamp': T, event: { category: ['process'] }, network: { protocol: 'http' }, process: { executable: '/bin/sh' } }, 't.json', 1, 0);
    for (const rec of [sysmon1, conn, ecsProcess]) assert.ok(!views(rec).includes('{"category":"dns"}'), rec.format);
    const system = toRawRecord({ '@timestamp': T, winlog: { channel: 'System', event_id: 7045, event_data: { ServiceName: 'x' } } }, 't.json', 1, 0);
    assert.ok(views(system).includes('{"product":"windows"}'));
    assert.deepEqual(views(conn), ['{"product":"zeek","service":"conn"}', '{"product":"zeek"}'], 'Zeek JSON is Zeek, not Windows');
    assert.ok(routable(p, { category: 'dns' }));
  });
  it('every SigmaHQ category: dns rule loads', { skip: !hasCorpus }, () => {
    const r = loadRules([corpusPath('sigma', 'rules', 'network', 'dns')]);
    assert.ok(r.listing.length >= 7);
    assert.deepEqual(r.listing.filter((l) => !l.loaded).map((l) => l.reason), []);
    const e = createEngine(r.rules);
    assert.deepEqual(e.match(zeekTsv('ifferfsodp9ifjaposdfjhgosurijfaewrwergwea.com')).map((m) => m.rule.title), ['Wannacry Killswitch Domain']);
  });
});
