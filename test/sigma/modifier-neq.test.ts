// Modifier `neq`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier neq', () => {
  it("matches {\"User\": \"bob\"}", () => assert.equal(fires("s:\n    User|neq: 'SYSTEM'\ncondition: s", {"User": "bob"}, PH), true));
  it("does not match {\"User\": \"system\"}", () => assert.equal(fires("s:\n    User|neq: 'SYSTEM'\ncondition: s", {"User": "system"}, PH), false));
  it("does not match {}", () => assert.equal(fires("s:\n    User|neq: 'SYSTEM'\ncondition: s", {}, PH), false));
  void compile;
});
