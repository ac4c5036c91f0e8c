// Modifier `startswith`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier startswith', () => {
  it("matches {\"CommandLine\": \"CMD /C dir\"}", () => assert.equal(fires("s:\n    CommandLine|startswith: 'cmd /c'\ncondition: s", {"CommandLine": "CMD /C dir"}, PH), true));
  it("does not match {\"CommandLine\": \"x cmd /c dir\"}", () => assert.equal(fires("s:\n    CommandLine|startswith: 'cmd /c'\ncondition: s", {"CommandLine": "x cmd /c dir"}, PH), false));
  void compile;
});
