// Modifier `expand`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier expand', () => {
  it("matches {\"User\": \"CORP\\\\adm_bob\"}", () => assert.equal(fires("s:\n    User|expand: '%Admins%'\ncondition: s", {"User": "CORP\\adm_bob"}, PH), true));
  it("does not match {\"User\": \"CORP\\\\bob\"}", () => assert.equal(fires("s:\n    User|expand: '%Admins%'\ncondition: s", {"User": "CORP\\bob"}, PH), false));
  it('rejects invalid use', () => assert.throws(() => compile("s:\n    User|expand: '%Nope%'\ncondition: s"), /no configured value/));
  void compile;
});
