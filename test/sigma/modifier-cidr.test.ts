// Modifier `cidr`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier cidr', () => {
  it("matches {\"DestinationIp\": \"10.1.2.3\"}", () => assert.equal(fires("s:\n    DestinationIp|cidr: '10.0.0.0/8'\ncondition: s", {"DestinationIp": "10.1.2.3"}, PH), true));
  it("does not match {\"DestinationIp\": \"11.1.2.3\"}", () => assert.equal(fires("s:\n    DestinationIp|cidr: '10.0.0.0/8'\ncondition: s", {"DestinationIp": "11.1.2.3"}, PH), false));
  it("matches {\"DestinationIp\": \"fe80::1\"}", () => assert.equal(fires("s:\n    DestinationIp|cidr: 'fe80::/10'\ncondition: s", {"DestinationIp": "fe80::1"}, PH), true));
  it("does not match {\"DestinationIp\": \"2001:db8::1\"}", () => assert.equal(fires("s:\n    DestinationIp|cidr: 'fe80::/10'\ncondition: s", {"DestinationIp": "2001:db8::1"}, PH), false));
  it('rejects invalid use', () => assert.throws(() => compile("s:\n    DestinationIp|cidr: '10.0.0.0/33'\ncondition: s"), /not a CIDR/));
  void compile;
});
