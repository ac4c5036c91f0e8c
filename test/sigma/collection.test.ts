// Rule collections (action: global / reset / repeat), filters, listings and located diagnostics.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/detect/sigma/index.js';
import { loadText, sysmon1 } from './helpers/rule.js';

describe('collections, filters, listing', () => {
  it('action global + repeat build complete rules', () => {
    const { rules, listing } = loadText(`action: global
title: g
logsource: { product: windows, category: process_creation }
detection:
    condition: s
---
id: r1
detection:
    s: { Image|endswith: '\\a.exe' }
---
action: repeat
id: r2
detection:
    s: { Image|endswith: '\\b.exe' }
---
action: reset
---
title: lone
id: r3
logsource: { product: windows, category: process_creation }
detection:
    s: { Image|endswith: '\\c.exe' }
    condition: s
`);
    assert.deepEqual(listing.map((l) => [l.id, l.loaded]), [['r1', true], ['r2', true], ['r3', true]]);
    const e = createEngine(rules);
    assert.deepEqual(e.match(sysmon1({ Image: 'C:\\b.exe' })).map((m) => m.rule.id), ['r2']);
  });
  it('a filter suppresses the rules it names', () => {
    const { rules } = loadText(`title: r
id: 6f3e2987-db24-4c78-a860-b4f4095a7095
logsource: { product: windows, category: process_creation }
detection:
    s: { Image|endswith: '\\rar.exe' }
    condition: s
---
title: Filter Administrator account
logsource: { category: process_creation, product: windows }
filter:
    rules: [6f3e2987-db24-4c78-a860-b4f4095a7095]
    selection:
        User|startswith: 'adm_'
    condition: selection
`);
    const e = createEngine(rules);
    assert.equal(e.match(sysmon1({ Image: 'C:\\rar.exe', User: 'adm_bob' })).length, 0);
    assert.equal(e.match(sysmon1({ Image: 'C:\\rar.exe', User: 'bob' })).length, 1);
  });
  it('problems are located (file:line:column) and name the rule', () => {
    const { diagnostics, listing } = loadText(`title: bad
id: bad-1
logsource: { product: windows, category: process_creation }
detection:
    s:
        Image|nosuchmod: x
    condition: s
`);
    assert.equal(listing[0].loaded, false);
    assert.match(listing[0].reason ?? '', /unknown modifier 'nosuchmod'/);
    assert.equal(diagnostics[0].code, 'SW4001');
    assert.equal(diagnostics[0].ruleId, 'bad-1');
    assert.deepEqual([diagnostics[0].location?.line, diagnostics[0].location?.column], [6, 9]);
  });
  it('unroutable logsources are listed with SW4005', () => {
    const { listing, diagnostics } = loadText(`title: aws
id: aws-1
logsource: { product: aws, service: cloudtrail }
detection:
    s: { eventName: x }
    condition: s
`);
    assert.equal(listing[0].loaded, false);
    assert.equal(diagnostics[0].code, 'SW4005');
  });
  it('matches carry tags → techniques and evidence fields', () => {
    const { rules } = loadText(`title: t
id: t-1
status: test
level: high
tags: [attack.execution, attack.t1059.001]
logsource: { product: windows, category: process_creation }
detection:
    s: { Image|endswith: '\\powershell.exe' }
    condition: s
`);
    const [m] = createEngine(rules).match(sysmon1({ Image: 'C:\\powershell.exe', CommandLine: 'x' }));
    assert.deepEqual(m.rule.techniques, ['T1059.001']);
    assert.deepEqual(m.fields, { Image: 'C:\\powershell.exe' });
  });
  it('compiled rules are plain JSON', () => {
    const { rules } = loadText(`title: t\nid: j\nlogsource: { product: windows, category: process_creation }\ndetection:\n    s: { CommandLine|re: 'a+b' }\n    condition: s\n`);
    assert.deepEqual(JSON.parse(JSON.stringify(rules)), rules);
  });
});
