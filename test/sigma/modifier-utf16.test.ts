// Modifier `utf16`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier utf16', () => {
  it("matches {\"CommandLine\": \"//5jAG0AZAA=\"}", () => assert.equal(fires("s:\n    CommandLine|utf16|base64|contains: 'cmd'\ncondition: s", {"CommandLine": "//5jAG0AZAA="}, PH), true));
  it("does not match {\"CommandLine\": \"YwBtAGQA\"}", () => assert.equal(fires("s:\n    CommandLine|utf16|base64|contains: 'cmd'\ncondition: s", {"CommandLine": "YwBtAGQA"}, PH), false));
  void compile;
});
