// Modifier `endswith`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier endswith', () => {
  it("matches {\"Image\": \"C:\\\\Windows\\\\System32\\\\CMD.EXE\"}", () => assert.equal(fires("s:\n    Image|endswith: '\\\\cmd.exe'\ncondition: s", {"Image": "C:\\Windows\\System32\\CMD.EXE"}, PH), true));
  it("does not match {\"Image\": \"C:\\\\Windows\\\\System32\\\\cmd.exe.bak\"}", () => assert.equal(fires("s:\n    Image|endswith: '\\\\cmd.exe'\ncondition: s", {"Image": "C:\\Windows\\System32\\cmd.exe.bak"}, PH), false));
  void compile;
});
