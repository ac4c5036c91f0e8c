// Modifier `fieldref`: positive and negative cases (from the modifiers appendix of the specification).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compile, fires } from './helpers/rule.js';

const PH = { Admins: ['*\\adm_*'] };

describe('modifier fieldref', () => {
  it("matches {\"Image\": \"C:\\\\a.exe\", \"ParentImage\": \"c:\\\\A.EXE\"}", () => assert.equal(fires("s:\n    ParentImage|fieldref: Image\ncondition: s", {"Image": "C:\\a.exe", "ParentImage": "c:\\A.EXE"}, PH), true));
  it("does not match {\"Image\": \"C:\\\\a.exe\", \"ParentImage\": \"C:\\\\b.exe\"}", () => assert.equal(fires("s:\n    ParentImage|fieldref: Image\ncondition: s", {"Image": "C:\\a.exe", "ParentImage": "C:\\b.exe"}, PH), false));
  it("matches {\"Image\": \"a.exe\", \"CommandLine\": \"run a.exe now\"}", () => assert.equal(fires("s:\n    CommandLine|fieldref|contains: Image\ncondition: s", {"Image": "a.exe", "CommandLine": "run a.exe now"}, PH), true));
  it('values of different lengths can still be equal folded (İ lowers to two units); otherwise they cannot', () => {
    const r = 's:\n    ParentImage|fieldref: Image\ncondition: s';
    assert.equal(fires(r, { Image: 'C:\\\u0130.exe', ParentImage: 'c:\\i\u0307.exe' }, PH), true);
    assert.equal(fires(r, { Image: 'c:\\i\u0307.exe', ParentImage: 'C:\\\u0130.EXE' }, PH), true);
    assert.equal(fires(r, { Image: 'C:\\a.exe', ParentImage: 'C:\\a.exe ' }, PH), false);
  });
  void compile;
});
