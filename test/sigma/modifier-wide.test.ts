// Modifier `wide`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier wide', () => {
  it("matches {\"CommandLine\": \"YwBtAGQA\"}", () => assert.equal(fires("s:\n    CommandLine|wide|base64|contains: 'cmd'\ncondition: s", {"CommandLine": "YwBtAGQA"}, PH), true));
  it("does not match {\"CommandLine\": \"Y21k\"}", () => assert.equal(fires("s:\n    CommandLine|wide|base64|contains: 'cmd'\ncondition: s", {"CommandLine": "Y21k"}, PH), false));
  void compile;
});
