// Modifier `windash`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier windash', () => {
  it("matches {\"CommandLine\": \"p /exec x\"}", () => assert.equal(fires("s:\n    CommandLine|windash|contains: ' -exec '\ncondition: s", {"CommandLine": "p /exec x"}, PH), true));
  it("matches {\"CommandLine\": \"p \\u2013exec x\"}", () => assert.equal(fires("s:\n    CommandLine|windash|contains: ' -exec '\ncondition: s", {"CommandLine": "p –exec x"}, PH), true));
  it("does not match {\"CommandLine\": \"p +exec x\"}", () => assert.equal(fires("s:\n    CommandLine|windash|contains: ' -exec '\ncondition: s", {"CommandLine": "p +exec x"}, PH), false));
  void compile;
});
