// Condition form `not` (the rules specification's condition grammar).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fires } from './helpers/rule.js';

const BASE = "a:\n    CommandLine|contains: 'alpha'\nb:\n    CommandLine|contains: 'beta'\nsel_x:\n    User: 'x'\nsel_y:\n    User: 'y'\n_hidden:\n    Image: 'h'\n";

describe('condition not', () => {
  it("a and not b on {\"CommandLine\": \"alpha\"}", () => assert.equal(fires(`${BASE}condition: a and not b`, {"CommandLine": "alpha"}), true));
  it("a and not b on {\"CommandLine\": \"alpha beta\"}", () => assert.equal(fires(`${BASE}condition: a and not b`, {"CommandLine": "alpha beta"}), false));
  it("not not a on {\"CommandLine\": \"alpha\"}", () => assert.equal(fires(`${BASE}condition: not not a`, {"CommandLine": "alpha"}), true));
});
