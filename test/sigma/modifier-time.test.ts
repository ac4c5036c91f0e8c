// Modifier `time`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier time', () => {
  it("matches {\"UtcTime\": \"2025-10-25 23:38:32.006\"}", () => assert.equal(fires("s:\n    UtcTime|hour|gte: 22\ncondition: s", {"UtcTime": "2025-10-25 23:38:32.006"}, PH), true));
  it("does not match {\"UtcTime\": \"2025-10-25 17:38:32.006\"}", () => assert.equal(fires("s:\n    UtcTime|hour|gte: 22\ncondition: s", {"UtcTime": "2025-10-25 17:38:32.006"}, PH), false));
  it("matches {\"UtcTime\": \"2025-10-25 17:38:32.006\"}", () => assert.equal(fires("s:\n    UtcTime|month: 10\ncondition: s", {"UtcTime": "2025-10-25 17:38:32.006"}, PH), true));
  it("does not match {\"UtcTime\": \"2025-10-25 17:38:32.006\"}", () => assert.equal(fires("s:\n    UtcTime|year: 2024\ncondition: s", {"UtcTime": "2025-10-25 17:38:32.006"}, PH), false));
  it("matches {\"UtcTime\": \"2025-10-25 17:38:32.006\"}", () => assert.equal(fires("s:\n    UtcTime|minute: 38\ncondition: s", {"UtcTime": "2025-10-25 17:38:32.006"}, PH), true));
  it("matches {\"UtcTime\": \"2025-10-25 17:38:32.006\"}", () => assert.equal(fires("s:\n    UtcTime|day: 25\ncondition: s", {"UtcTime": "2025-10-25 17:38:32.006"}, PH), true));
  it("matches {\"UtcTime\": \"2025-10-25 17:38:32.006\"}", () => assert.equal(fires("s:\n    UtcTime|week: 43\ncondition: s", {"UtcTime": "2025-10-25 17:38:32.006"}, PH), true));
  void compile;
});
