// Modifier `utf16le`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier utf16le', () => {
  it("matches {\"CommandLine\": \"-enc YQAgAEkARQBYAA==\"}", () => assert.equal(fires("s:\n    CommandLine|utf16le|base64offset|contains: 'IEX'\ncondition: s", {"CommandLine": "-enc YQAgAEkARQBYAA=="}, PH), true));
  it("does not match {\"CommandLine\": \"-enc YSBJRVg=\"}", () => assert.equal(fires("s:\n    CommandLine|utf16le|base64offset|contains: 'IEX'\ncondition: s", {"CommandLine": "-enc YSBJRVg="}, PH), false));
  it('rejects invalid use', () => assert.throws(() => compile("s:\n    CommandLine|utf16le: 'abc'\ncondition: s"), /followed by base64/));
  void compile;
});
