// Condition form `them` (the rules specification's condition grammar).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fires } from './helpers/rule.js';

const BASE = "a:\n    CommandLine|contains: 'alpha'\nb:\n    CommandLine|contains: 'beta'\nsel_x:\n    User: 'x'\nsel_y:\n    User: 'y'\n_hidden:\n    Image: 'h'\n";

describe('condition them', () => {
  it("1 of them on {\"CommandLine\": \"beta\"}", () => assert.equal(fires(`${BASE}condition: 1 of them`, {"CommandLine": "beta"}), true));
  it("1 of them on {\"Image\": \"h\"}", () => assert.equal(fires(`${BASE}condition: 1 of them`, {"Image": "h"}), false));
  it("_hidden on {\"Image\": \"h\"}", () => assert.equal(fires(`${BASE}condition: _hidden`, {"Image": "h"}), true));
});
