// Modifier `utf16be`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier utf16be', () => {
  it("matches {\"CommandLine\": \"AGMAbQBk\"}", () => assert.equal(fires("s:\n    CommandLine|utf16be|base64|contains: 'cmd'\ncondition: s", {"CommandLine": "AGMAbQBk"}, PH), true));
  it("does not match {\"CommandLine\": \"YwBtAGQA\"}", () => assert.equal(fires("s:\n    CommandLine|utf16be|base64|contains: 'cmd'\ncondition: s", {"CommandLine": "YwBtAGQA"}, PH), false));
  void compile;
});
