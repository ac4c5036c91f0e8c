// Condition form `all-of` (the rules specification's condition grammar).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fires } from './helpers/rule.js';

const BASE = "a:\n    CommandLine|contains: 'alpha'\nb:\n    CommandLine|contains: 'beta'\nsel_x:\n    User: 'x'\nsel_y:\n    User: 'y'\n_hidden:\n    Image: 'h'\n";

describe('condition all-of', () => {
  it("all of sel_* on {\"User\": \"x\"}", () => assert.equal(fires(`${BASE}condition: all of sel_*`, {"User": "x"}), false));
  it("all of a* on {\"CommandLine\": \"alpha\"}", () => assert.equal(fires(`${BASE}condition: all of a*`, {"CommandLine": "alpha"}), true));
  it("all of them on {\"CommandLine\": \"alpha beta\", \"User\": \"x\"}", () => assert.equal(fires(`${BASE}condition: all of them`, {"CommandLine": "alpha beta", "User": "x"}), false));
});
