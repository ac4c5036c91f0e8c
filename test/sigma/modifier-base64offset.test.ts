// Modifier `base64offset`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier base64offset', () => {
  it("matches {\"CommandLine\": \"-e eCBJRVgo\"}", () => assert.equal(fires("s:\n    CommandLine|base64offset|contains: 'IEX'\ncondition: s", {"CommandLine": "-e eCBJRVgo"}, PH), true));
  it("does not match {\"CommandLine\": \"-e eCBpZXgo\"}", () => assert.equal(fires("s:\n    CommandLine|base64offset|contains: 'IEX'\ncondition: s", {"CommandLine": "-e eCBpZXgo"}, PH), false));
  void compile;
});
