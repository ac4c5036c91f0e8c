// Modifier `exists`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier exists', () => {
  it("matches {\"ParentUser\": \"x\"}", () => assert.equal(fires("s:\n    ParentUser|exists: true\ncondition: s", {"ParentUser": "x"}, PH), true));
  it("does not match {\"User\": \"x\"}", () => assert.equal(fires("s:\n    ParentUser|exists: true\ncondition: s", {"User": "x"}, PH), false));
  it("matches {\"User\": \"x\"}", () => assert.equal(fires("s:\n    ParentUser|exists: false\ncondition: s", {"User": "x"}, PH), true));
  it('rejects invalid use', () => assert.throws(() => compile("s:\n    ParentUser|exists: maybe\ncondition: s"), /true or false/));
  void compile;
});
