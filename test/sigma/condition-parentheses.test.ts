// Condition form `parentheses` (the rules specification's condition grammar).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fires } from './helpers/rule.js';

const BASE = "a:\n    CommandLine|contains: 'alpha'\nb:\n    CommandLine|contains: 'beta'\nsel_x:\n    User: 'x'\nsel_y:\n    User: 'y'\n_hidden:\n    Image: 'h'\n";

describe('condition parentheses', () => {
  it("(a and (b or sel_x)) on {\"CommandLine\": \"alpha\", \"User\": \"x\"}", () => assert.equal(fires(`${BASE}condition: (a and (b or sel_x))`, {"CommandLine": "alpha", "User": "x"}), true));
  it("((a) and (sel_y)) on {\"CommandLine\": \"alpha\", \"User\": \"x\"}", () => assert.equal(fires(`${BASE}condition: ((a) and (sel_y))`, {"CommandLine": "alpha", "User": "x"}), false));
});
