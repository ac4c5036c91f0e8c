import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { JsonSplitter, type SplitResult } from '../../src/ingest/json/splitter.js';
import { toRawRecord } from '../../src/ingest/json/shapes.js';
import { readAll } from '../../src/ingest/read.js';
import type { ReadResult } from '../../src/ingest/source.js';

function split(text: string | Buffer, chunk = 7): SplitResult[] {
  const s = new JsonSplitter('t.json', 200);
  const out: SplitResult[] = [];
  const b = Buffer.isBuffer(text) ? text : Buffer.from(text);
  for (let i = 0; i < b.length; i += chunk) s.push(b.subarray(i, i + chunk), out);
  s.end(out);
  return out;
}
const values = (r: SplitResult[]) => r.filter((x) => x.value).map((x) => x.value!.value);
const codes = (r: SplitResult[]) => r.filter((x) => x.diagnostic).map((x) => `${x.diagnostic!.code}@${x.diagnostic!.location?.line}`);

test('NDJSON: one value per line, CRLF and BOM tolerated, line numbers and offsets kept', () => {
  const r = split('\ufeff{"a":1}\r\n\r\n{"a":2}\n{"a":3}');
  assert.deepEqual(values(r), [{ a: 1 }, { a: 2 }, { a: 3 }]);
  assert.deepEqual(r.map((x) => x.value!.line), [1, 3, 4]);
  assert.equal(r[1].value!.offset, 14);
});

test('NDJSON: a malformed line is reported with its line, the run goes on; a cut last line is SW1008', () => {
  const r = split('{"a":1}\n{"a":\n{"a":3}\n{"a":4');
  assert.deepEqual(values(r), [{ a: 1 }, { a: 3 }]);
  assert.deepEqual(codes(r), ['SW1003@2', 'SW1008@4']);
});

test('pretty-printed values concatenated, and a top-level array, split into records', () => {
  const pretty = '{\n  "a": "x}{\\"",\n  "b": [1, {"c": 2}]\n}\n{\n "a": 2\n}\n';
  assert.deepEqual(values(split(pretty, 3)), [{ a: 'x}{"', b: [1, { c: 2 }] }, { a: 2 }]);
  assert.deepEqual(values(split('[\n {"a":1},\n {"a":2}\n]\n', 4)), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(split(pretty, 3).map((x) => x.value!.line), [1, 5]);
});

test('scanner: garbage between values is reported and skipped; an unterminated value is SW1008', () => {
  const r = split('{\n"a":1\n}\nxx garbage\n{\n"a":2\n}\n{\n"a":');
  assert.deepEqual(values(r), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(codes(r), ['SW1003@4', 'SW1008@8']);
});

test('oversized records are skipped with SW1006 and the next record is still read', () => {
  const big = JSON.stringify({ x: 'y'.repeat(500) });
  const r = split(`{"a":1}\n${big}\n{"a":2}\n`, 50);
  assert.deepEqual(values(r), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(codes(r), ['SW1006@2']);
  const p = split(`{\n"a":1\n}\n{\n"x":"${'y'.repeat(500)}"\n}\n{\n"a":2\n}\n`, 50);
  assert.deepEqual(values(p), [{ a: 1 }, { a: 2 }]);
  assert.equal(codes(p)[0], 'SW1006@4');
});

test('invalid UTF-8 is replaced and warned about; a genuine U+FFFD is not', () => {
  const bad = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"a":"\ufffd"}\n')]);
  const r = split(bad, 100);
  assert.equal(values(r).length, 2);
  assert.deepEqual(codes(r), ['SW1004@1']);
});

test('shapes: nested Event.System/EventData (SigmaHQ test data style)', () => {
  const rec = toRawRecord({
    Event: {
      System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'PC1',
        TimeCreated: { '#attributes': { SystemTime: '2025-11-27T07:40:10.165324Z' } }, EventRecordID: 42, Security: { '#attributes': { UserID: 'S-1-5-18' } } },
      EventData: { Image: 'C:\\Windows\\System32\\cmd.exe', ProcessId: 4460 },
    },
  }, 'f.json', 3, 10);
  assert.equal(rec.format, 'json-evtx');
  assert.deepEqual(rec.ref, { file: 'f.json', record: 42, channel: 'Microsoft-Windows-Sysmon/Operational', eventId: 1, line: 3, offset: 10 });
  assert.equal(rec.system.timeMs, Date.parse('2025-11-27T07:40:10.165Z'));
  assert.equal(rec.system.userId, 'S-1-5-18');
  assert.equal(rec.data.Image, 'C:\\Windows\\System32\\cmd.exe');
});

test('shapes: EventData as a Data list with Name attributes, UserData flattened, EventID with qualifiers', () => {
  const rec = toRawRecord({
    Event: { System: { Provider: { '@Name': 'Service Control Manager' }, EventID: { '#text': 7045, '#attributes': { Qualifiers: 16384 } }, Channel: 'System' },
      EventData: { Data: [{ '@Name': 'ServiceName', '#text': 'x' }, { '@Name': 'ImagePath', '#text': '%COMSPEC% /c calc' }] } },
  }, 'f', 1, 0);
  assert.equal(rec.system.eventId, 7045);
  assert.equal(rec.system.provider, 'Service Control Manager');
  assert.deepEqual(rec.data, { ServiceName: 'x', ImagePath: '%COMSPEC% /c calc' });
  const ud = toRawRecord({ Event: { System: { EventID: 1102 }, UserData: { LogFileCleared: { SubjectUserName: 'bob', Nested: { A: '1' } } } } }, 'f', 1, 0);
  assert.deepEqual(ud.data, { SubjectUserName: 'bob', 'Nested.A': '1' });
});

test('shapes: flat OTRF/NXLog and Azure Sentinel records (EventData as JSON or XML text)', () => {
  const nx = toRawRecord({ EventID: 4688, Channel: 'Security', SourceName: 'Microsoft-Windows-Security-Auditing', Hostname: 'WS5', '@timestamp': '2020-09-04T20:09:40.845Z', EventTime: '2020-09-04 16:09:38', RecordNumber: 66936, NewProcessName: 'C:\\x.exe' }, 'f', 7, 0);
  assert.equal(nx.format, 'json-flat');
  assert.equal(nx.system.computer, 'WS5');
  assert.equal(nx.system.timeMs, Date.parse('2020-09-04T20:09:40.845Z'));
  assert.equal(nx.ref.record, 66936);
  const xml = toRawRecord({ EventID: 5156, Computer: 'WS5', TimeGenerated: '2022-05-13T08:54:05.21Z', EventSourceName: 'Microsoft-Windows-Security-Auditing', Channel: 'Security',
    EventData: '<EventData xmlns="x">\r\n <Data Name="Application">a&amp;b</Data><Data Name="Empty"/></EventData>' }, 'f', 1, 0);
  assert.equal(xml.data.Application, 'a&b');
  assert.equal(xml.data.Empty, '');
  const js = toRawRecord({ EventID: 3, Provider: 'Microsoft-Windows-Sysmon', Computer: 'WS5', EventData: '{"Image":"C:\\\\a.exe"}' }, 'f', 1, 0);
  assert.equal(js.data.Image, 'C:\\a.exe');
});

test('shapes: Winlogbeat/ECS documents keep dotted ECS names and the event_data names', () => {
  const rec = toRawRecord({ '@timestamp': '2021-01-01T00:00:00.000Z', host: { name: 'h1' }, event: { code: '1' },
    winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', provider_name: 'Microsoft-Windows-Sysmon', event_id: 1, record_id: 9, computer_name: 'H1.corp', event_data: { CommandLine: 'cmd /c whoami' } },
    process: { command_line: 'cmd /c whoami', parent: { executable: 'C:\\w3wp.exe' } } }, 'f', 1, 0);
  assert.equal(rec.format, 'json-ecs');
  assert.equal(rec.system.eventId, 1);
  assert.equal(rec.system.computer, 'H1.corp');
  assert.equal(rec.data.CommandLine, 'cmd /c whoami');
  assert.equal(rec.data['process.parent.executable'], 'C:\\w3wp.exe');
});

async function collect(paths: string[]): Promise<{ records: ReadResult[]; diags: string[] }> {
  const records: ReadResult[] = [];
  const diags: string[] = [];
  for await (const it of readAll(paths)) {
    if ('diagnostic' in it && it.diagnostic) diags.push(it.diagnostic.code);
    else for (const r of (it as { results: ReadResult[] }).results) {
      if (r.record) records.push(r);
      else diags.push(r.diagnostic!.code);
    }
  }
  return { records, diags };
}

test('readAll: folders recurse in name order; .gz is decompressed; unknown and damaged files are diagnostics', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-json-'));
  writeFileSync(join(dir, 'b.jsonl.gz'), gzipSync('{"EventID":1,"Channel":"x"}\n{"EventID":2,"Channel":"x"}\n'));
  writeFileSync(join(dir, 'a.json'), '[{"EventID":3,"Channel":"x"}]');
  writeFileSync(join(dir, 'c.txt'), 'not telemetry');
  writeFileSync(join(dir, 'd.zip'), 'PK\u0003\u0004 this is not really a zip');
  const { records, diags } = await collect([dir, join(dir, 'missing.json')]);
  assert.deepEqual(records.map((r) => r.record!.system.eventId), [3, 1, 2]);
  assert.deepEqual(diags, ['SW1002', 'SW1005', 'SW1001']);
  assert.equal(records[1].record!.ref.file, join(dir, 'b.jsonl.gz'));
});

test('an osquery snapshot result becomes one record per row', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-osq-'));
  const row = (pid: string) => ({ pid, path: '/bin/bash', cmdline: 'bash -i', parent: '1', time: '1780308000' });
  writeFileSync(join(dir, 'snap.json'), JSON.stringify({ name: 'pack_ir_process_events', hostIdentifier: 'mac01', unixTime: 1780308000, snapshot: [row('10'), row('11'), row('12')] }) + '\n');
  const { records } = await collect([dir]);
  assert.deepEqual(records.map((r) => r.record!.data.pid), ['10', '11', '12']);
  assert.ok(records.every((r) => r.record!.format === 'json-osquery' && r.record!.system.computer === 'mac01'));
});
