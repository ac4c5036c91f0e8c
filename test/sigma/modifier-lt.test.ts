// Modifier `lt`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier lt', () => {
  it("matches {\"TerminalSessionId\": 0}", () => assert.equal(fires("s:\n    TerminalSessionId|lt: 1\ncondition: s", {"TerminalSessionId": 0}, PH), true));
  it("does not match {\"TerminalSessionId\": 1}", () => assert.equal(fires("s:\n    TerminalSessionId|lt: 1\ncondition: s", {"TerminalSessionId": 1}, PH), false));
  void compile;
});
