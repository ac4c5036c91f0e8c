// Modifier `cased`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier cased', () => {
  it("matches {\"CommandLine\": \"tool -D x\"}", () => assert.equal(fires("s:\n    CommandLine|cased|contains: '-D'\ncondition: s", {"CommandLine": "tool -D x"}, PH), true));
  it("does not match {\"CommandLine\": \"tool -d x\"}", () => assert.equal(fires("s:\n    CommandLine|cased|contains: '-D'\ncondition: s", {"CommandLine": "tool -d x"}, PH), false));
  void compile;
});
