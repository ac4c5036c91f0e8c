// Modifier `base64`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier base64', () => {
  it("matches {\"CommandLine\": \"x aHR0cDovLw== y\"}", () => assert.equal(fires("s:\n    CommandLine|base64|contains: 'http://'\ncondition: s", {"CommandLine": "x aHR0cDovLw== y"}, PH), true));
  it("does not match {\"CommandLine\": \"http://\"}", () => assert.equal(fires("s:\n    CommandLine|base64|contains: 'http://'\ncondition: s", {"CommandLine": "http://"}, PH), false));
  it('rejects invalid use', () => assert.throws(() => compile("s:\n    CommandLine|base64: 'a*b'\ncondition: s"), /wildcards/));
  void compile;
});
