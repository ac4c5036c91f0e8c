// Modifier `all`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier all', () => {
  it("matches {\"CommandLine\": \"powershell -nop -enc AAAA\"}", () => assert.equal(fires("s:\n    CommandLine|contains|all:\n        - ' -enc '\n        - 'powershell'\ncondition: s", {"CommandLine": "powershell -nop -enc AAAA"}, PH), true));
  it("does not match {\"CommandLine\": \"pwsh -enc AAAA\"}", () => assert.equal(fires("s:\n    CommandLine|contains|all:\n        - ' -enc '\n        - 'powershell'\ncondition: s", {"CommandLine": "pwsh -enc AAAA"}, PH), false));
  void compile;
});
