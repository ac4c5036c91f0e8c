// Plain values: wildcards, escapes, lists, null, empty, numbers, keywords, field names with spaces.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseSigmaString } from '../../src/detect/sigma/compiler/value.js';
import { createEngine } from '../../src/detect/sigma/engine.js';
import { compile, fires, sysmon1 } from './helpers/rule.js';

describe('values', () => {
  it('is case-insensitive and exact by default', () => {
    assert.equal(fires("s:\n    Image: 'C:\\Windows\\cmd.exe'\ncondition: s", { Image: 'c:\\windows\\CMD.exe' }), true);
    assert.equal(fires("s:\n    Image: 'C:\\Windows\\cmd.exe'\ncondition: s", { Image: 'c:\\windows\\cmd.exe2' }), false);
  });
  it('wildcards * and ?', () => {
    assert.equal(fires("s:\n    Image: '*\\cmd.ex?'\ncondition: s", { Image: 'C:\\x\\cmd.exe' }), true);
    assert.equal(fires("s:\n    Image: 'a*b*c'\ncondition: s", { Image: 'aXbYc' }), true);
    assert.equal(fires("s:\n    Image: 'a*b*c'\ncondition: s", { Image: 'aXcYb' }), false);
  });
  it('escapes follow the specification', () => {
    assert.deepEqual(parseSigmaString('a\\*b'), ['a*b']);
    assert.deepEqual(parseSigmaString('a\\\\*'), ['a\\', { w: '*' }]);
    assert.deepEqual(parseSigmaString('a\\\\\\*'), ['a\\*']);
    assert.deepEqual(parseSigmaString('C:\\Windows'), ['C:\\Windows']);
    assert.deepEqual(parseSigmaString('\\\\\\\\srv'), ['\\\\srv']);
  });
  it('lists are OR, maps are AND', () => {
    assert.equal(fires("s:\n    Image:\n        - a\n        - b\n    User: u\ncondition: s", { Image: 'b', User: 'u' }), true);
    assert.equal(fires("s:\n    Image:\n        - a\n        - b\n    User: u\ncondition: s", { Image: 'b', User: 'v' }), false);
    assert.equal(fires("s:\n    - Image: a\n    - User: u\ncondition: s", { Image: 'z', User: 'u' }), true);
  });
  it('null means absent, empty string means empty', () => {
    assert.equal(fires("s:\n    ParentUser: null\ncondition: s", { User: 'x' }), true);
    assert.equal(fires("s:\n    ParentUser: null\ncondition: s", { ParentUser: 'x' }), false);
    assert.equal(fires("s:\n    ParentUser: ''\ncondition: s", { ParentUser: '' }), true);
    assert.equal(fires("s:\n    ParentUser: ''\ncondition: s", {}), false);
  });
  it('numbers compare as text with numeric fields', () => {
    assert.equal(fires("s:\n    EventID: 1\n    ProcessId: 42\ncondition: s", { ProcessId: 42 }), true);
    assert.equal(fires("s:\n    ProcessId: 42\ncondition: s", { ProcessId: '42' }), true);
  });
  it('keywords search every value (contains)', () => {
    assert.equal(fires("k:\n    - 'mimikatz'\n    - 'event::clear'\ncondition: k", { CommandLine: 'x event::clear y' }), true);
    assert.equal(fires("k:\n    '|all':\n        - 'Oab'\n        - ' -ExternalUrl '\ncondition: k", { A: 'Set-Oab', B: 'x -ExternalUrl y' }), true);
    assert.equal(fires("k:\n    '|all':\n        - 'Oab'\n        - ' -ExternalUrl '\ncondition: k", { A: 'Set-Oab' }), false);
  });
  it('field names with spaces are written without them', () => {
    assert.equal(fires("s:\n    ThreatName|endswith: 'EICAR'\ncondition: s", { 'Threat Name': 'Tool:EICAR' }), true);
  });
  it('field names with spaces: records in a row with the same number of keys, spaced or not', () => {
    // the space-less names are reused while a record's keys are the previous record's, in order
    const e = createEngine([compile("s:\n    ThreatName|endswith: 'EICAR'\ncondition: s")]);
    const seq: [Record<string, unknown>, boolean][] = [
      [{ 'Threat Name': 'Tool:EICAR', A: 1 }, true], [{ 'Threat Name': 'Tool:EICAR', A: 2 }, true], [{ ThreatNam: 'Tool:EICAR', A: 1 }, false],
      [{ 'Threat Name': 'Tool:EICAR', A: 1 }, true], [{ 'Threat Name': 'Tool:EICAR' }, true], [{ 'Threat Name': 'Tool:EICAR', A: 1, B: 2 }, true], [{ A: 1, B: 2 }, false],
    ];
    for (const [data, want] of seq) assert.equal(e.match(sysmon1(data)).length > 0, want, JSON.stringify(data));
  });
  it('fieldref equality folds as toLowerCase does (ASCII compared in place, anything else lowered)', () => {
    const eq = (a: string, b: string): boolean => fires("s:\n    ParentImage|fieldref: Image\ncondition: s", { Image: a, ParentImage: b });
    const pairs: [string, string][] = [['C:\\A.exe', 'c:\\a.EXE'], ['a-b', 'a_b'], ['@[`{', '`{@['], ['ÄB', 'äb'], ['\u212a1', 'k1'], ['K1', '\u212a1'], ['xΣ', 'xσ'], ['İx', 'i̇x'], ['ab', 'aB'], ['ab', 'ac']];
    for (const [a, b] of pairs) assert.equal(eq(a, b), a.toLowerCase() === b.toLowerCase(), `${a} / ${b}`);
  });
  it('array values match when any element matches', () => {
    assert.equal(fires("s:\n    Args|contains: '-enc'\ncondition: s", { Args: ['a', 'b -enc'] }), true);
  });
});
