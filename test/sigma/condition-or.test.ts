// Condition form `or` (the rules specification's condition grammar).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fires } from './helpers/rule.js';

const BASE = "a:\n    CommandLine|contains: 'alpha'\nb:\n    CommandLine|contains: 'beta'\nsel_x:\n    User: 'x'\nsel_y:\n    User: 'y'\n_hidden:\n    Image: 'h'\n";

describe('condition or', () => {
  it("a or b on {\"CommandLine\": \"beta\"}", () => assert.equal(fires(`${BASE}condition: a or b`, {"CommandLine": "beta"}), true));
  it("a or b on {\"CommandLine\": \"gamma\"}", () => assert.equal(fires(`${BASE}condition: a or b`, {"CommandLine": "gamma"}), false));
});
