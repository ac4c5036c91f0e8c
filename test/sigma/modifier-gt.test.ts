// Modifier `gt`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier gt', () => {
  it("matches {\"TerminalSessionId\": 2}", () => assert.equal(fires("s:\n    TerminalSessionId|gt: 1\ncondition: s", {"TerminalSessionId": 2}, PH), true));
  it("does not match {\"TerminalSessionId\": \"1\"}", () => assert.equal(fires("s:\n    TerminalSessionId|gt: 1\ncondition: s", {"TerminalSessionId": "1"}, PH), false));
  it('rejects invalid use', () => assert.throws(() => compile("s:\n    TerminalSessionId|gt: abc\ncondition: s"), /needs a number/));
  void compile;
});
