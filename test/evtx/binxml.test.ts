// Token-stream tests on records written by test/evtx/build.ts: templates and their reuse, every
// content token, substitutions (optional, arrays, nested binary XML), EventData and UserData shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawRecord } from '../../src/core/index.js';
import type { ReadResult } from '../../src/ingest/source.js';
import { parseEvtxBuffer } from '../../src/ingest/evtx/index.js';
import { ChunkWriter, evtxFile, v, type Val } from './build.js';

const SID_SYSTEM = Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]);
const TIME = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

/** The System part of a template: substitutions 0..10. */
function system(w: ChunkWriter): void {
  w.open('System', false).closeStart();
  w.open('Provider', true).attr('Name').subst(0, 1).closeEmpty();
  w.open('EventID', true).attr('Qualifiers').subst(11, 6, true).closeStart().subst(1, 6).end();
  w.open('Level', false).closeStart().subst(2, 4).end();
  w.open('Keywords', false).closeStart().subst(3, 0x15).end();
  w.open('TimeCreated', true).attr('SystemTime').subst(4, 0x11, true).closeEmpty();
  w.open('EventRecordID', false).closeStart().subst(5, 0x0a).end();
  w.open('Execution', true).attr('ProcessID').subst(6, 8).attr('ThreadID').subst(7, 8).closeEmpty();
  w.open('Channel', false).closeStart().subst(8, 1).end();
  w.open('Computer', false).closeStart().subst(9, 1).end();
  w.open('Security', true).attr('UserID').subst(10, 0x13, true).closeEmpty();
  w.end();
}

function systemValues(id: number, eventId: number): Val[] {
  return [
    v.str('Microsoft-Windows-Test'), v.u16(eventId), v.u8(4), v.hex64(0x8000000000000000n), v.filetime(TIME),
    v.u64(BigInt(id)), v.u32(4242), v.u32(77), v.str('Test/Operational'), v.str('HOST1'), v.raw(0x13, SID_SYSTEM), v.nul(),
  ];
}

/** A record: Event with System and `body` (written inside Event), values after the System ones. */
function eventRecord(w: ChunkWriter, id: number, body: (w: ChunkWriter) => void, extra: Val[], reuse?: number): number {
  let def = -1;
  w.record(id, (r) => {
    r.fragmentHeader();
    def = r.instance((t) => {
      t.fragmentHeader();
      t.open('Event', true).attr('xmlns').text('http://schemas.microsoft.com/win/2004/08/events/event').closeStart();
      system(t);
      body(t);
      t.end().eof();
    }, [...systemValues(id, 4688), ...extra], reuse);
    r.eof();
  });
  return def;
}

function records(buf: Buffer): { recs: RawRecord[]; diags: ReadResult[] } {
  const recs: RawRecord[] = [];
  const diags: ReadResult[] = [];
  for (const b of parseEvtxBuffer(buf, 't.evtx')) {
    for (const r of b) {
      if (r.record) recs.push(r.record);
      else diags.push(r);
    }
  }
  return { recs, diags };
}

const S = 12; // first substitution index after the System ones

test('System fields and named EventData values of many types, with template reuse', () => {
  const w = new ChunkWriter();
  const body = (t: ChunkWriter): void => {
    t.open('EventData', false).closeStart();
    const names = ['Str', 'Hex', 'Guid', 'Bool', 'Bin', 'Sid', 'Int', 'Time', 'Multi', 'Empty'];
    const types = [1, 0x14, 0x0f, 0x0d, 0x0e, 0x13, 0x07, 0x11, 0x81, 1];
    names.forEach((n, i) => t.open('Data', true).attr('Name').text(n).closeStart().subst(S + i, types[i]).end());
    t.open('Binary', false).closeStart().subst(S + 10, 0x0e, true).end();
    t.end();
  };
  const vals = (script: string): Val[] => [
    v.str(script), v.raw(0x14, Buffer.from([0x10, 0x14, 0, 0])), v.raw(0x0f, Buffer.from('5F3870579A2CE043BF4C06F5698FFBD9', 'hex')),
    v.raw(0x0d, Buffer.from([1, 0, 0, 0])), v.raw(0x0e, Buffer.from([0xca, 0xfe])), v.raw(0x13, SID_SYSTEM),
    v.raw(0x07, Buffer.from([0xfe, 0xff, 0xff, 0xff])), v.filetime(TIME), v.raw(0x81, Buffer.from('a\0b\0', 'utf16le')), v.str(''), v.nul(),
  ];
  const def = eventRecord(w, 100, body, vals('line1\r\nline2\n\tline3'));
  eventRecord(w, 101, body, vals('second'), def);
  const { recs, diags } = records(evtxFile([w.finish()]));
  assert.deepEqual(diags, []);
  assert.equal(recs.length, 2);
  const [a, b] = recs;
  assert.deepEqual(a.system, {
    provider: 'Microsoft-Windows-Test', eventId: 4688, level: 4, keywords: '0x8000000000000000', timeMs: TIME,
    recordId: 100, processId: 4242, threadId: 77, channel: 'Test/Operational', computer: 'HOST1', userId: 'S-1-5-18',
  });
  assert.deepEqual(a.ref, { file: 't.evtx', record: 100, channel: 'Test/Operational', eventId: 4688, offset: 0x1000 + 512 });
  assert.equal(a.format, 'evtx');
  assert.deepEqual(a.data, {
    Str: 'line1\r\nline2\n\tline3', Hex: '0x1410', Guid: '{5770385F-2C9A-43E0-BF4C-06F5698FFBD9}', Bool: 'true', Bin: 'CAFE',
    Sid: 'S-1-5-18', Int: '-2', Time: '2024-01-02T03:04:05.6780000Z', Multi: ['a', 'b'], Empty: '',
  });
  assert.equal(b.data.Str, 'second');
  assert.equal(b.system.recordId, 101);
});

test('unnamed Data: one is a string, several a list; literal text with char, entity refs and CDATA', () => {
  const w = new ChunkWriter();
  eventRecord(w, 1, (t) => {
    t.open('EventData', false).closeStart();
    t.open('Data', false).closeStart().subst(S, 1).end();
    t.end();
  }, [v.str('only')]);
  eventRecord(w, 2, (t) => {
    t.open('EventData', false).closeStart();
    t.open('Data', false).closeStart().subst(S, 1).end();
    t.open('Data', false).closeStart().text('a').entityRef('amp').text('b').charRef(0x41).cdata('<x>').end();
    t.end();
  }, [v.str('first')]);
  const { recs } = records(evtxFile([w.finish()]));
  assert.deepEqual(recs[0].data, { Data: 'only' });
  assert.deepEqual(recs[1].data, { Data: ['first', 'a&bA<x>'] });
});

test('UserData flattened: nested elements dotted, attributes kept, xmlns dropped; nested binary XML values', () => {
  const w = new ChunkWriter();
  const nested: Val = {
    type: 0x21,
    write: (n) => {
      n.fragmentHeader();
      n.instance((t) => {
        t.fragmentHeader();
        t.open('UserData', false).closeStart();
        t.open('LogFileCleared', true).attr('xmlns').text('http://manifests.microsoft.com/win/2004/08/windows/eventlog').closeStart();
        t.open('SubjectUserName', false).closeStart().subst(0, 1).end();
        t.open('Client', false).closeStart();
        t.open('Address', false).closeStart().subst(1, 1).end();
        t.open('Port', false).closeStart().subst(2, 6).end();
        t.end();
        t.open('Item', true).attr('Kind').text('k1').closeStart().text('v1').end();
        t.end().end().eof();
      }, [v.str('admin'), v.str('10.0.0.5'), v.u16(445)]);
      n.eof();
    },
  };
  eventRecord(w, 7, (t) => t.subst(S, 0x21), [nested]);
  const { recs, diags } = records(evtxFile([w.finish()]));
  assert.deepEqual(diags, []);
  assert.deepEqual(recs[0].data, { SubjectUserName: 'admin', 'Client.Address': '10.0.0.5', 'Client.Port': '445', 'Item.Kind': 'k1', Item: 'v1' });
});

test('a template-less record (raw elements without dependency ids) is read', () => {
  const w = new ChunkWriter();
  w.record(9, (r) => {
    r.fragmentHeader();
    r.open('Event', false, false).closeStart();
    r.open('System', false, false).closeStart();
    r.open('EventID', false, false).closeStart().text('800').end();
    r.open('EventRecordID', false, false).closeStart().text('9').end();
    r.open('TimeCreated', true, false).attr('SystemTime').text('2021-06-10T14:12:46.041829000Z').closeEmpty();
    r.end();
    r.open('EventData', false, false).closeStart();
    r.open('Data', false, false).closeStart().text('x\r\ny').end();
    r.end().end().eof();
  });
  const { recs, diags } = records(evtxFile([w.finish()]));
  assert.deepEqual(diags, []);
  assert.equal(recs[0].system.eventId, 800);
  assert.equal(recs[0].system.timeMs, Date.UTC(2021, 5, 10, 14, 12, 46, 41));
  assert.deepEqual(recs[0].data, { Data: 'x\r\ny' });
});

test('a record with a bad token yields SW1106 and the next record is still read', () => {
  const w = new ChunkWriter();
  w.record(1, (r) => r.fragmentHeader().u8(0x3f).u8(0).u8(0));
  eventRecord(w, 2, () => {}, []);
  const { recs, diags } = records(evtxFile([w.finish()]));
  assert.equal(recs.length, 1);
  assert.equal(recs[0].system.recordId, 2);
  assert.equal(diags[0].diagnostic?.code, 'SW1106');
  assert.deepEqual(diags[0].diagnostic?.location, { file: 't.evtx', chunk: 0, offset: 0x1000 + 512, record: 1 });
});

test('a template that contains an instance of itself is refused, not followed forever', () => {
  const w = new ChunkWriter();
  w.record(1, (r) => {
    r.fragmentHeader();
    const self = r.pos + 10; // the inline definition starts here
    r.instance((t) => {
      t.fragmentHeader();
      t.u8(0x0c).u8(1).u32(1).u32(self).u32(0);
      t.eof();
    }, []);
    r.eof();
  });
  const { recs, diags } = records(evtxFile([w.finish()]));
  assert.equal(recs.length, 0);
  assert.equal(diags[0].diagnostic?.code, 'SW1106');
});

test('a Data name of __proto__ stays an ordinary key', () => {
  const w = new ChunkWriter();
  eventRecord(w, 1, (t) => {
    t.open('EventData', false).closeStart();
    t.open('Data', true).attr('Name').text('__proto__').closeStart().subst(S, 0x81).end();
    t.end();
  }, [v.raw(0x81, Buffer.from('a\0b\0', 'utf16le'))]);
  const { recs } = records(evtxFile([w.finish()]));
  const data = recs[0].data;
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, ['a', 'b']);
});
