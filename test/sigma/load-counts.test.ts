// Every rule under sigma/rules* and hayabusa-rules loads, except those whose logsource no reader
// produces (SW4005) and those listed below with their reason.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { loadRules } from '../../src/detect/sigma/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { SIGMA_RULE_DIRS } from './helpers/regression.js';

/** Rules that cannot load for a reason of their own (not their logsource), by file name. */
const EXPECTED_FAILURES: Record<string, RegExp> = {
  // `expand` placeholder %known_cdcs% has no configured value: the specification says reject
  'win_security_adcs_certighost_cdc_chase_request.yml': /placeholder %known_cdcs%/,
  'win_security_adcs_certighost_cert_issued_via_chase.yml': /placeholder %known_cdcs%/,
};

describe('rule corpus load', { skip: !hasCorpus }, () => {
  const r = hasCorpus ? loadRules([...SIGMA_RULE_DIRS, corpusPath('hayabusa-rules')]) : { rules: [], listing: [], diagnostics: [] };
  const failed = r.listing.filter((l) => !l.loaded);
  const unroutable = failed.filter((l) => l.reason?.startsWith('no reader produces'));
  const broken = failed.filter((l) => !l.reason?.startsWith('no reader produces'));

  it('loads every routable rule', () => {
    const unexpected = broken.filter((l) => { const re = EXPECTED_FAILURES[l.path.split('/').pop() ?? '']; return !re || !re.test(l.reason ?? ''); });
    assert.deepEqual(unexpected.map((l) => `${l.path}: ${l.reason}`), []);
    assert.equal(broken.length, Object.keys(EXPECTED_FAILURES).length);
  });

  it('counts', () => {
    const groups: Record<string, number> = {};
    for (const l of unroutable) groups[l.reason as string] = (groups[l.reason as string] ?? 0) + 1;
    const summary = { documents: r.listing.length, loaded: r.listing.length - failed.length, unroutable: unroutable.length, broken: broken.length };
    console.log(JSON.stringify(summary));
    assert.ok(summary.loaded >= 3290, JSON.stringify(summary));
    assert.ok(unroutable.every((l) => l.logsource.product !== 'windows' || ['file_access', 'file_rename'].includes(l.logsource.category ?? '')), 'a Windows logsource is unroutable');
  });

  it('the deprecated `| count()` aggregations load as correlations, with a note', () => {
    const converted = r.listing.filter((l) => l.loaded && l.reason);
    assert.deepEqual(converted.map((l) => l.path.split('/').pop()).sort(), [
      'Sec_4625_Med_LogonFail_UserGuessing_Cnt_Deprecated.yml', 'Sec_4625_Med_LogonFail_WrongPW_PW-Guessing_Cnt_Deprecated.yml', 'Sec_4648_Med_ExplicitLogon_PW-Spray_Cnt_Deprecated.yml',
    ]);
    assert.ok(converted.every((l) => /^loaded as a correlation/.test(l.reason ?? '')));
  });

  it('every SW4001/SW4005 diagnostic is located and names its rule', () => {
    for (const d of r.diagnostics) { assert.ok(d.location?.file && d.location.line, JSON.stringify(d)); }
  });
});
