// Condition form `precedence` (the rules specification's condition grammar).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fires } from './helpers/rule.js';

const BASE = "a:\n    CommandLine|contains: 'alpha'\nb:\n    CommandLine|contains: 'beta'\nsel_x:\n    User: 'x'\nsel_y:\n    User: 'y'\n_hidden:\n    Image: 'h'\n";

describe('condition precedence', () => {
  it("a or b and sel_x on {\"CommandLine\": \"alpha\", \"User\": \"z\"}", () => assert.equal(fires(`${BASE}condition: a or b and sel_x`, {"CommandLine": "alpha", "User": "z"}), true));
  it("(a or b) and sel_x on {\"CommandLine\": \"alpha\", \"User\": \"z\"}", () => assert.equal(fires(`${BASE}condition: (a or b) and sel_x`, {"CommandLine": "alpha", "User": "z"}), false));
  it("not a or b on {\"CommandLine\": \"alpha beta\"}", () => assert.equal(fires(`${BASE}condition: not a or b`, {"CommandLine": "alpha beta"}), true));
});
