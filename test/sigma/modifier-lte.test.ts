// Modifier `lte`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier lte', () => {
  it("matches {\"TerminalSessionId\": 1}", () => assert.equal(fires("s:\n    TerminalSessionId|lte: 1\ncondition: s", {"TerminalSessionId": 1}, PH), true));
  it("does not match {\"TerminalSessionId\": 2}", () => assert.equal(fires("s:\n    TerminalSessionId|lte: 1\ncondition: s", {"TerminalSessionId": 2}, PH), false));
  it("does not match {\"TerminalSessionId\": \"abc\"}", () => assert.equal(fires("s:\n    TerminalSessionId|lte: 1\ncondition: s", {"TerminalSessionId": "abc"}, PH), false));
  void compile;
});
