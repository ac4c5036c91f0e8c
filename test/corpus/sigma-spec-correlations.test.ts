// The example correlation rules of the Sigma specification (sigma-specification/tests/schema/correlation/)
// load from their files and behave as the correlation specification says, proven with events written
// here. The examples name base rules they do not include; those are written here too (by id or name).
// event_count_ecs.yml groups by the ECS field dns.question.name: its base rule is a `category: dns` rule
// in the ECS taxonomy, fed by DNS records of three readers (ECS documents, Sysmon 22 as EVTX-JSON, Zeek
// dns.log), written to files and read as `hunt` reads them.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RawRecord } from '../../src/core/index.js';
import { createEngine, loadRules, type SigmaMatch } from '../../src/detect/sigma/index.js';
import { readAll } from '../../src/ingest/read.js';
import { corpusPath } from '../helpers/corpus.js';

const base = (id: string, name: string | undefined, eventId: number) => `title: base ${name ?? id}
id: ${id}
${name ? `name: ${name}\n` : ''}logsource: { product: windows, service: security }
detection:
    selection:
        EventID: ${eventId}
    condition: selection
`;
const BASES = [
  base('5638f7c0-ac70-491d-8465-2a65075e0d86', undefined, 4625),
  base('11111111-0000-4000-8000-00000000000a', 'recon_cmd_a', 5001),
  base('11111111-0000-4000-8000-00000000000b', 'recon_cmd_b', 5002),
  base('11111111-0000-4000-8000-00000000000c', 'recon_cmd_c', 5003),
  base('11111111-0000-4000-8000-0000000000aa', 'rule_a_id', 5156),
  base('11111111-0000-4000-8000-0000000000bb', 'website_access', 5157),
  base('11111111-0000-4000-8000-0000000000cc', 'process_creation', 4688),
].join('---\n');

function setup(example: string, bases = BASES) {
  const dir = mkdtempSync(join(tmpdir(), 'sw-corr-'));
  writeFileSync(join(dir, 'bases.yml'), bases);
  const file = corpusPath('sigma-specification', 'tests', 'schema', 'correlation', example);
  const { rules, listing } = loadRules([file, dir]);
  const corr = listing.find((l) => l.path === file)!;
  assert.ok(corr.loaded, `${example}: ${corr.reason}`);
  return createEngine(rules);
}

let rid = 0;
function ev(eventId: number, sec: number, data: Record<string, unknown>): RawRecord {
  return { format: 'json-evtx', ref: { file: 't', record: ++rid, channel: 'Security', eventId }, system: { provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security', eventId, computer: String(data.ComputerName ?? 'h'), timeMs: 1_700_000_000_000 + sec * 1000 }, data: { EventID: eventId, ...data } };
}
function run(example: string, recs: RawRecord[], bases = BASES): SigmaMatch[] {
  const e = setup(example, bases);
  return [...recs.flatMap((r) => e.match(r)), ...e.flush()].filter((m) => m.rule.kind === 'correlation');
}
const times = (n: number, f: (i: number) => RawRecord) => Array.from({ length: n }, (_, i) => f(i));

test('event_count.yml: 100 failed logins on one computer within 1 h fire; 99, or spread over 2 h, do not', () => {
  assert.equal(run('event_count.yml', times(100, (i) => ev(4625, i * 30, { ComputerName: 'ws1' }))).length, 1);
  assert.equal(run('event_count.yml', times(99, (i) => ev(4625, i * 30, { ComputerName: 'ws1' }))).length, 0);
  assert.equal(run('event_count.yml', times(100, (i) => ev(4625, i * 72, { ComputerName: 'ws1' }))).length, 0);
  assert.equal(run('event_count.yml', times(100, (i) => ev(4625, i, { ComputerName: `ws${i % 2}` }))).length, 0, 'grouped by ComputerName');
});

test('value_count.yml: 100 distinct users failing on one computer/workstation within a day fire', () => {
  const u = (i: number, user: string) => ev(4625, i * 60, { ComputerName: 'dc1', WorkstationName: 'ws9', User: user });
  assert.equal(run('value_count.yml', times(100, (i) => u(i, `user${i}`))).length, 1);
  assert.equal(run('value_count.yml', times(150, (i) => u(i, `user${i % 99}`))).length, 0);
});

test('temporal.yml: recon a, b and c by one user on one computer within 5 min, in any order', () => {
  const r = (id: number, s: number, user = 'bob') => ev(id, s, { ComputerName: 'ws1', User: user });
  assert.equal(run('temporal.yml', [r(5003, 0), r(5001, 60), r(5002, 120)]).length, 1);
  assert.equal(run('temporal.yml', [r(5003, 0), r(5001, 60), r(5002, 400)]).length, 0, 'outside 5 min');
  assert.equal(run('temporal.yml', [r(5003, 0), r(5001, 60), r(5002, 120, 'eve')]).length, 0, 'another user');
});

test('temporal_ordered.yml: a, then b, then c within 5 min; another order does not fire', () => {
  const r = (id: number, s: number) => ev(id, s, { ComputerName: 'ws1', User: 'bob' });
  assert.equal(run('temporal_ordered.yml', [r(5001, 0), r(5002, 60), r(5003, 120)]).length, 1);
  assert.equal(run('temporal_ordered.yml', [r(5003, 0), r(5001, 60), r(5002, 120)]).length, 0);
});

test('value_avg.yml and value_sum.yml: average and total of a field per group', () => {
  const net = (id: number, s: number, field: string, n: number) => ev(id, s, { SourceIP: '10.0.0.8', User: 'bob', [field]: n });
  assert.equal(run('value_avg.yml', [net(5156, 0, 'BytesOut', 400), net(5156, 60, 'BytesOut', 700)]).length, 1, 'avg 550 > 500');
  assert.equal(run('value_avg.yml', [net(5156, 0, 'BytesOut', 400), net(5156, 60, 'BytesOut', 500)]).length, 0, 'avg 450');
  assert.equal(run('value_sum.yml', times(3, (i) => net(5157, i * 60, 'bytes_sent', 400_000))).length, 1, '1.2 MB > 1 MB');
  assert.equal(run('value_sum.yml', times(2, (i) => net(5157, i * 60, 'bytes_sent', 400_000))).length, 0);
});

test('value_percentile.yml: a process name among the rarest 1% on a computer in 24 h', () => {
  const p = (i: number, image: string) => ev(4688, i * 10, { ComputerName: 'ws1', Image: image });
  const common = times(300, (i) => p(i, `C:\\Windows\\System32\\svc${i % 3}.exe`));
  const m = run('value_percentile.yml', [...common, p(301, 'C:\\Users\\bob\\AppData\\Local\\Temp\\x.exe')]);
  assert.ok(m.length >= 1);
  assert.ok(m.every((x) => x.group?.ComputerName === 'ws1'));
});

// ---- event_count_ecs.yml: >= 100 events of the base rule per dns.question.name within 1 h ----
const DNS_BASE = `title: base DNS lookup (ECS taxonomy)
id: 5638f7c0-ac70-491d-8465-2a65075e0d86
taxonomy: ecs
logsource: { category: dns }
detection:
    selection:
        dns.question.name|exists: true
    condition: selection
`;
const T0 = Date.parse('2024-03-01T10:00:00Z');
const iso = (sec: number) => new Date(T0 + sec * 1000).toISOString();
/** One DNS lookup of `name` at `sec`, in the shape of source `i % 3`: ECS document, Sysmon 22 EVTX-JSON, Zeek dns.log row. */
function lookups(n: number, name: (i: number) => string, step: number): { ecs: string[]; sysmon: string[]; zeek: string[] } {
  const out = { ecs: [] as string[], sysmon: [] as string[], zeek: [] as string[] };
  for (let i = 0; i < n; i++) {
    const q = name(i), s = i * step;
    if (i % 3 === 0) out.ecs.push(JSON.stringify({ '@timestamp': iso(s), event: { category: ['network'], dataset: 'network_traffic.dns' }, network: { protocol: 'dns', transport: 'udp' }, source: { ip: '10.0.0.5' }, dns: { question: { name: q, type: 'A' }, resolved_ip: ['192.0.2.7'] } }));
    else if (i % 3 === 1) out.sysmon.push(JSON.stringify({ Event: { System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 22, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'ws1', TimeCreated: { '#attributes': { SystemTime: iso(s) } } }, EventData: { QueryName: q, QueryStatus: '0', QueryResults: '::ffff:192.0.2.7;', Image: 'C:\\Windows\\System32\\svchost.exe' } } }));
    else out.zeek.push([(T0 / 1000 + s).toFixed(6), `C${i}`, '10.0.0.6', '53124', '10.0.0.1', '53', 'udp', String(i), q, 'A', 'NOERROR', '192.0.2.7'].join('\t'));
  }
  return out;
}
const ZEEK_HEADER = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tdns',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\tquery\tqtype_name\trcode_name\tanswers',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tstring\tstring\tstring\tvector[string]'];

/** Writes the lookups as three files and reads them back with the readers `hunt` uses, in time order. */
async function dnsRecords(n: number, name: (i: number) => string, step: number): Promise<RawRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-dns-'));
  const l = lookups(n, name, step);
  writeFileSync(join(dir, 'packetbeat.ndjson'), l.ecs.join('\n') + '\n');
  writeFileSync(join(dir, 'sysmon22.json'), l.sysmon.join('\n') + '\n');
  writeFileSync(join(dir, 'dns.log'), [...ZEEK_HEADER, ...l.zeek].join('\n') + '\n');
  const recs: RawRecord[] = [];
  const readers = new Set<string>();
  for await (const item of readAll([dir])) {
    assert.ok(!('diagnostic' in item), JSON.stringify(item));
    readers.add(item.reader);
    for (const r of item.results) { assert.ok(r.record, JSON.stringify(r.diagnostic)); recs.push(r.record); }
  }
  assert.equal(recs.length, n);
  assert.deepEqual([...new Set(recs.map((r) => r.format))].sort(), ['json-ecs', 'json-evtx', 'zeek']);
  return recs.sort((a, b) => (a.system.timeMs ?? 0) - (b.system.timeMs ?? 0));
}

test('event_count_ecs.yml: 100 lookups of one name within 1 h fire, whichever DNS source saw them; 99, 2 h, or two names do not', async () => {
  const ecs = (recs: RawRecord[]) => run('event_count_ecs.yml', recs, DNS_BASE);
  const m = ecs(await dnsRecords(100, () => 'evil.example', 30));
  assert.deepEqual(m.map((x) => [x.rule.id, x.rule.title, x.count, x.group]), [['0e95725d-7320-415d-80f7-004da920fc11', 'Many failed logins', 100, { 'dns.question.name': 'evil.example' }]]);
  assert.equal(ecs(await dnsRecords(99, () => 'evil.example', 30)).length, 0, '99 lookups');
  assert.equal(ecs(await dnsRecords(100, () => 'evil.example', 72)).length, 0, '100 lookups over 2 h');
  assert.equal(ecs(await dnsRecords(100, (i) => (i < 50 ? 'evil.example' : 'other.example'), 30)).length, 0, 'grouped by dns.question.name');
  assert.equal(ecs(await dnsRecords(160, (i) => (i % 8 ? 'evil.example' : 'other.example'), 20)).length, 1, '140 of one name among others');
});
