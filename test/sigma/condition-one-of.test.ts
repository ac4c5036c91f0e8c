// Condition form `one-of` (the rules specification's condition grammar).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fires } from './helpers/rule.js';

const BASE = "a:\n    CommandLine|contains: 'alpha'\nb:\n    CommandLine|contains: 'beta'\nsel_x:\n    User: 'x'\nsel_y:\n    User: 'y'\n_hidden:\n    Image: 'h'\n";

describe('condition one-of', () => {
  it("1 of sel_* on {\"User\": \"y\"}", () => assert.equal(fires(`${BASE}condition: 1 of sel_*`, {"User": "y"}), true));
  it("1 of sel_* on {\"User\": \"z\"}", () => assert.equal(fires(`${BASE}condition: 1 of sel_*`, {"User": "z"}), false));
  it("any of sel_* on {\"User\": \"x\"}", () => assert.equal(fires(`${BASE}condition: any of sel_*`, {"User": "x"}), true));
});
