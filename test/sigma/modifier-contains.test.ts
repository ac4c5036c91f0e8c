// Modifier `contains`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier contains', () => {
  it("matches {\"CommandLine\": \"cmd /c WHOAMI /all\"}", () => assert.equal(fires("s:\n    CommandLine|contains: 'whoami'\ncondition: s", {"CommandLine": "cmd /c WHOAMI /all"}, PH), true));
  it("does not match {\"CommandLine\": \"cmd /c hostname\"}", () => assert.equal(fires("s:\n    CommandLine|contains: 'whoami'\ncondition: s", {"CommandLine": "cmd /c hostname"}, PH), false));
  it("does not match {}", () => assert.equal(fires("s:\n    CommandLine|contains: 'whoami'\ncondition: s", {}, PH), false));
  void compile;
});
