// Condition syntax errors become compile errors with a reason.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile } from './helpers/rule.js';

const BASE = "a:\n    CommandLine|contains: 'alpha'\nb:\n    CommandLine|contains: 'beta'\nsel_x:\n    User: 'x'\nsel_y:\n    User: 'y'\n_hidden:\n    Image: 'h'\n";

describe('condition errors', () => {
  it("a and", () => assert.throws(() => compile(`${BASE}condition: a and`), /unexpected end/));
  it("a and c", () => assert.throws(() => compile(`${BASE}condition: a and c`), /unknown search identifier/));
  it("1 of zz*", () => assert.throws(() => compile(`${BASE}condition: 1 of zz*`), /matches no search/));
  it("a | count() by User > 3", () => assert.throws(() => compile(`${BASE}condition: a | count() by User > 3`), /obsolete/));
  it("2 of sel_*", () => assert.throws(() => compile(`${BASE}condition: 2 of sel_*`), /not supported/));
  it("(a or b", () => assert.throws(() => compile(`${BASE}condition: (a or b`), /missing/));
  it('a list of conditions is OR-linked', () => assert.equal(compile(`${BASE}condition:\n    - a\n    - b`).condition.t, 'or'));
});
